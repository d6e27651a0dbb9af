// The benchmark's own checks, run with the suite: the dataset has the shape and comes out
// the same from the same seed, the floor's hand-written SQL answers exactly what the gateway
// answers (so `npm run bench` compares like with like), and the figures are computed as documented.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, loadDataset, type Scale } from '../../bench/dataset.js';
import { registerExtensionSchemas } from '../../bench/extension-schemas.js';
import type { RoundResult } from '../../bench/load.js';
import { parsePlans } from '../../bench/plans.js';
import { type CpuProfile, topFrames } from '../../bench/profile.js';
import { summarise } from '../../bench/report.js';
import { floor as floorServer } from '../../bench/servers/floor.js';
import { createFloor } from '../../bench/servers/floor-sql.js';
import { type Answerer, compareAnswers, type Send } from '../../bench/verify.js';
import { WORKLOADS } from '../../bench/workloads/index.js';
import { JSON_HEADERS, type Workload } from '../../bench/workloads/workload.js';
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
  let gatewaySend: Send;
  let floorSend: Send;
  let workloads: Record<string, Workload>;
  const gateway = (workload: Workload, send = gatewaySend): Answerer => ({ name: 'gateway', send, exchange: workload.exchange });
  const floor = (workload: Workload, send = floorSend): Answerer => ({ name: 'floor', send, exchange: floorServer.exchange(workload)! });
  beforeAll(async () => {
    t = await createTestGateway();
    const dataset = await loadDataset(t.databaseUrl, TINY, QUIET);
    workloads = Object.fromEntries(WORKLOADS.map((w) => [w.name, w.create(dataset)]));
    gatewaySend = async ({ method, path, body, headers }) => {
      const response = await t.gateway.fetch(`http://bench.test${path}`, { method, headers: { ...JSON_HEADERS, ...headers }, body });
      return { status: response.status, body: await response.text() };
    };
    const handlers = createFloor(t.db.pool);
    floorSend = ({ path, body }) => handlers[path](JSON.parse(body!).variables);
    await registerExtensionSchemas(gatewaySend, t.databaseUrl);
  });
  afterAll(() => t.close());

  it.each(WORKLOADS.map((w) => w.name))('answer %s alike', async (name) => {
    const workload = workloads[name];
    expect(await compareAnswers(workload, floor(workload), gateway(workload), name === 'W1' ? 40 : 5)).toEqual([]);
  });

  it('a difference in the nested read is reported with its path', async () => {
    const dropLastTask: Send = async (request) => {
      const reply = await floorSend(request);
      const answer = JSON.parse(reply.body);
      answer.data.customer.services.nodes[0].states.nodes[0].tasks.nodes.pop();
      return { ...reply, body: JSON.stringify(answer) };
    };
    const problems = await compareAnswers(workloads.W1, floor(workloads.W1, dropLastTask), gateway(workloads.W1), 1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/customer\.services\.nodes\[0\]\.states\.nodes\[0\]\.tasks\.nodes: 2 items != 1 items/);
  });

  it('a transition that did not chain the states is reported, though new ids are masked', async () => {
    const wrongChain: Send = async (request) => {
      const reply = await floorSend(request);
      const answer = JSON.parse(reply.body);
      answer.data.transitionState.started.previousStateId = '1';
      return { ...reply, body: JSON.stringify(answer) };
    };
    const problems = await compareAnswers(workloads.W3, floor(workloads.W3, wrongChain), gateway(workloads.W3), 1);
    expect(problems).toEqual([expect.stringMatching(/W3: floor: started\.previousStateId 1 is not \d+/)]);
  });
});

describe('bench figures', () => {
  const round = (server: string, cycle: number, rps: number): RoundResult => ({
    workload: 'W1',
    server,
    connections: 8,
    cycle,
    requests: rps * 10,
    seconds: 10,
    rps,
    p50Ms: 1,
    p99Ms: 2,
    errors: 0,
    errorDetail: { connection: 0, timeouts: 0, failedAnswers: 0, noInput: 0 },
    serverCpuMs: rps * 10 * (server === 'floor' ? 0.2 : 1),
    postgresCpuMs: rps * 5,
    clientCpuMs: 0,
    maxRssMb: 100 + cycle,
  });

  it('ratios pair each round with the floor round and the gateway round of the same cycle, then take the median', () => {
    const rounds = [
      round('gateway', 1, 100),
      round('peer', 1, 50),
      round('floor', 1, 400),
      round('gateway', 2, 300),
      round('peer', 2, 100),
      round('floor', 2, 400),
      round('gateway', 3, 90),
      round('peer', 3, 90),
      round('floor', 3, 100),
    ];
    const [gateway, peer, floor] = summarise(rounds, { floor: 'floor', gateway: 'gateway' });
    expect(gateway.toFloor).toEqual({ median: 0.75, min: 0.25, max: 0.9 });
    expect(gateway.gatewayOver).toBeUndefined();
    expect(gateway.rps).toEqual({ median: 100, min: 90, max: 300 });
    expect(gateway.serverCpuMsPerRequest).toBeCloseTo(1);
    expect(peer.toFloor).toEqual({ median: 0.25, min: 0.125, max: 0.9 });
    expect(peer.gatewayOver).toEqual({ median: 2, min: 1, max: 3 });
    expect(floor.serverCpuMsPerRequest).toBeCloseTo(0.2);
    expect(floor.toFloor).toBeUndefined();
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

  it("reads auto_explain's plans out of PostgreSQL's log, and names the big tables read sequentially", () => {
    const log = [
      '2026-12-06 04:14:00.000 UTC [123] LOG:  connection authorized: user=postgres',
      '2026-12-06 04:14:00.100 UTC [123] LOG:  duration: 0.299 ms  plan:',
      '\tQuery Text: SELECT count(*)',
      '\t  FROM task WHERE state_id = $1',
      '\tAggregate  (cost=8.32..8.33 rows=1 width=8) (actual time=0.035..0.035 rows=1.00 loops=1)',
      '\t  Buffers: shared hit=8 read=1',
      '\t  ->  Seq Scan on task  (cost=0.00..8.31 rows=1 width=0) (actual time=0.026..0.031 rows=2.00 loops=1)',
      '\t        Buffers: shared hit=8 read=1',
      '2026-12-06 04:14:00.200 UTC [123] LOG:  disconnection: session time: 0:00:00.200',
      '',
    ].join('\n');
    expect(parsePlans(log, 'W9')).toEqual([
      {
        workload: 'W9',
        query: 'SELECT count(*)\n  FROM task WHERE state_id = $1',
        plan: [
          'Aggregate  (cost=8.32..8.33 rows=1 width=8) (actual time=0.035..0.035 rows=1.00 loops=1)',
          '  Buffers: shared hit=8 read=1',
          '  ->  Seq Scan on task  (cost=0.00..8.31 rows=1 width=0) (actual time=0.026..0.031 rows=2.00 loops=1)',
          '        Buffers: shared hit=8 read=1',
        ].join('\n'),
        durationMs: 0.299,
        seqScans: ['task'],
        buffers: { hit: 8, read: 1 },
      },
    ]);
  });
});
