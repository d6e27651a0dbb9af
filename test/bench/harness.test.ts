// The benchmark's own checks, run with the suite: the dataset has the shape and comes out
// the same from the same seed, the floor's hand-written SQL answers exactly what the gateway
// answers (so `npm run bench` compares like with like), and the figures are computed as documented.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, loadDataset, type Scale } from '../../bench/dataset.js';
import { registerExtensionSchemas } from '../../bench/extension-schemas.js';
import { createFloor } from '../../bench/floor.js';
import type { RoundResult } from '../../bench/load.js';
import { type CpuProfile, topFrames } from '../../bench/profile.js';
import { summarise } from '../../bench/report.js';
import { answerOf, compareWithFloor, type Send } from '../../bench/verify.js';
import { createWorkloads, REQUEST_HEADERS, WORKLOADS } from '../../bench/workloads.js';
import { createTestDatabase, createTestGateway, queryDatabase, type TestGateway } from '../support/gateway.js';

const TINY: Scale = { customers: 120, services: 1_000, busyCustomers: 4, servicesPerBusy: 50 };
const QUIET = { output: null };

describe('bench dataset', () => {
  let url: string;
  let dataset: Dataset;
  beforeAll(async () => {
    url = await createTestDatabase();
    dataset = await loadDataset(url, TINY, QUIET);
  });

  it('has the shape of issue 6: shares of active and anonymous services, busy customers, states and tasks', async () => {
    const [services] = await queryDatabase<{ total: number; active: number; anonymous: number; keyed: number }>(
      url,
      `SELECT count(*)::int total, count(*) FILTER (WHERE completed_at IS NULL)::int active,
              count(*) FILTER (WHERE customer_id IS NULL)::int anonymous,
              count(*) FILTER (WHERE customer_id IS NULL AND contact_key IS NOT NULL)::int keyed FROM service`,
    );
    expect(services.total).toBe(1_000);
    expect(services.active / services.total).toBeGreaterThan(0.25);
    expect(services.active / services.total).toBeLessThan(0.35);
    expect(services.anonymous / services.total).toBeGreaterThan(0.07);
    expect(services.anonymous / services.total).toBeLessThan(0.13);
    expect(services.keyed).toBe(services.anonymous);

    const busy = await queryDatabase<{ customer_id: string; active: number }>(
      url,
      `SELECT customer_id, count(*)::int active FROM service WHERE completed_at IS NULL AND customer_id = ANY('{${dataset.busyCustomers}}') GROUP BY 1 ORDER BY 1`,
    );
    expect(busy).toEqual(dataset.busyCustomers.map((customer_id) => ({ customer_id, active: 50 })));

    // Three states per service, only the last one open and only while its service is; two tasks
    // per state, open exactly when their state is.
    const wrong = await queryDatabase(
      url,
      `SELECT s.service_id FROM service s
        WHERE (SELECT count(*) FROM state st WHERE st.service_id = s.service_id) <> 3
           OR (SELECT array_agg(st.completed_at IS NULL ORDER BY st.started_at) FROM state st WHERE st.service_id = s.service_id)
              <> ARRAY[false, false, s.completed_at IS NULL]
           OR EXISTS (SELECT 1 FROM state st WHERE st.service_id = s.service_id AND
                (SELECT count(*) FILTER (WHERE (t.completed_at IS NULL) = (st.completed_at IS NULL)) FROM task t WHERE t.state_id = st.state_id) <> 2)`,
    );
    expect(wrong).toEqual([]);
    expect(dataset.activeStates).toHaveLength(services.active);

    const [sizes] = await queryDatabase<{ min: number; max: number }>(
      url,
      `SELECT min(avg)::int min, max(avg)::int max FROM (
         SELECT avg(length(extensions::text)) avg FROM customer UNION ALL SELECT avg(length(extensions::text)) FROM service
         UNION ALL SELECT avg(length(extensions::text)) FROM state UNION ALL SELECT avg(length(extensions::text)) FROM task) a`,
    );
    expect(sizes.min).toBeGreaterThan(170);
    expect(sizes.max).toBeLessThan(230);
  });

  it('comes out identical from the same seed', async () => {
    const other = await createTestDatabase();
    await loadDataset(other, TINY, QUIET);
    // Every column but the customers' created_at/updated_at, which are the load time.
    const digest = `SELECT md5(string_agg(d, ',')) AS d FROM (
      SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) d FROM (SELECT customer_id, attributes, extensions FROM customer) t UNION ALL
      SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM service t UNION ALL
      SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM state t UNION ALL
      SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM task t) x`;
    expect((await queryDatabase(other, digest))[0]).toEqual((await queryDatabase(url, digest))[0]);
  });

  it('leaves the id sequences after the loaded rows, so the gateway can insert', async () => {
    const [row] = await queryDatabase<{ id: string }>(
      url,
      `INSERT INTO service (started_at) VALUES (now()) RETURNING service_id::text AS id`,
    );
    expect(row.id).toBe('1001');
  });
});

describe('floor and gateway', () => {
  let t: TestGateway;
  let gateway: Send;
  let floor: Send;
  let workloads: ReturnType<typeof createWorkloads>;
  beforeAll(async () => {
    t = await createTestGateway();
    workloads = createWorkloads(await loadDataset(t.databaseUrl, TINY, QUIET));
    gateway = async (path, body) =>
      answerOf(await t.gateway.fetch(`http://bench.test${path}`, { method: 'POST', headers: REQUEST_HEADERS, body }));
    const handlers = createFloor(t.db.pool);
    floor = async (path, body) => {
      const reply = await handlers[path](JSON.parse(body).variables);
      return { status: reply.status, body: JSON.parse(reply.body) };
    };
    await registerExtensionSchemas(gateway, t.databaseUrl);
  });
  afterAll(() => t.close());

  it.each(WORKLOADS)('answer %s alike', async (name) => {
    expect(await compareWithFloor(workloads[name], { gateway, floor }, 'document', name === 'W1' ? 40 : 5)).toEqual([]);
  });

  it('a difference in the nested read is reported with its path', async () => {
    const dropLastTask: Send = async (path, body) => {
      const answer = await floor(path, body);
      answer.body.data.customer.services.nodes[0].states.nodes[0].tasks.nodes.pop();
      return answer;
    };
    const problems = await compareWithFloor(workloads.W1, { gateway, floor: dropLastTask }, 'document', 1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/customer\.services\.nodes\[0\]\.states\.nodes\[0\]\.tasks\.nodes: 2 items != 1 items/);
  });

  it('a transition that did not chain the states is reported, though new ids are masked', async () => {
    const wrongChain: Send = async (path, body) => {
      const answer = await floor(path, body);
      answer.body.data.transitionState.started.previousStateId = '1';
      return answer;
    };
    const problems = await compareWithFloor(workloads.W3, { gateway, floor: wrongChain }, 'document', 1);
    expect(problems).toEqual([expect.stringMatching(/W3: floor: started\.previousStateId 1 is not \d+/)]);
  });
});

describe('bench figures', () => {
  const round = (contender: RoundResult['contender'], cycle: number, rps: number): RoundResult => ({
    workload: 'W1',
    contender,
    connections: 8,
    cycle,
    requests: rps * 10,
    seconds: 10,
    rps,
    p50Ms: 1,
    p99Ms: 2,
    errors: 0,
    errorDetail: { connection: 0, timeouts: 0, failedAnswers: 0, noInput: 0 },
    serverCpuMs: rps * 10 * (contender === 'floor' ? 0.2 : 1),
    postgresCpuMs: rps * 5,
    clientCpuMs: 0,
    maxRssMb: 100 + cycle,
  });

  it('ratios pair each gateway round with the floor round of the same cycle, then take the median', () => {
    const rounds = [
      round('gateway', 1, 100),
      round('floor', 1, 400),
      round('gateway', 2, 300),
      round('floor', 2, 400),
      round('gateway', 3, 90),
      round('floor', 3, 100),
    ];
    const [gateway, floor] = summarise(rounds);
    expect(gateway.ratio).toEqual({ median: 0.75, min: 0.25, max: 0.9 });
    expect(gateway.rps).toEqual({ median: 100, min: 90, max: 300 });
    expect(gateway.serverCpuMsPerRequest).toBeCloseTo(1);
    expect(floor.serverCpuMsPerRequest).toBeCloseTo(0.2);
    expect(floor.ratio).toBeUndefined();
    expect(gateway.maxRssMb).toBe(103);
  });

  it('the profile ranks self time only inside the load window', () => {
    const frame = (functionName: string, url = 'file:///repo/src/x.js') => ({ functionName, url, lineNumber: 9, columnNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('startup') },
        { id: 2, callFrame: frame('hot') },
        { id: 3, callFrame: frame('(idle)', '') },
        { id: 4, callFrame: frame('warm', 'file:///repo/node_modules/graphql/execution/execute.js') },
      ],
      startTime: 1_000,
      endTime: 2_000,
      // Samples at 1100 (startup, outside), then 1200..1700 inside the window [1150, 1750].
      samples: [1, 2, 2, 3, 4, 2, 2],
      timeDeltas: [100, 100, 100, 100, 100, 100, 100],
    };
    const summary = topFrames(profile, 1_150, 1_750, '/repo');
    expect(summary.top.map((f) => [f.name, f.location, f.selfMs])).toEqual([
      ['hot', 'src/x.js:10:1', 0.3],
      ['warm', 'graphql/execution/execute.js:10:1', 0.1],
    ]);
    expect(summary.busyMs).toBeCloseTo(0.4);
    expect(summary.byOwner.map((o) => [o.owner, o.selfMs])).toEqual([
      ['gateway src/x.js', 0.3],
      ['graphql', 0.1],
    ]);
  });
});
