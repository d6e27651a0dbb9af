// The reference documentation's own examples (shared/spec/reference-rest-api.md, appendix),
// played exactly as documented, each on a database with the extension schemas it names (two of
// them give `satisfaction` different shapes, so each example has a gateway of its own). The 8.0
// examples use the root paths (REST_BASE_PATH=/), the 8.5 one /genesys/1/cs.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { rest, send } from './support.js';

let t: TestGateway;
afterEach(() => t?.close());

async function rootGateway(schemas: { owner: string; schema: object }[]): Promise<TestGateway> {
  t = await createTestGateway({ REST_BASE_PATH: '/' });
  for (const { owner, schema } of schemas) {
    const created = await send(t, 'POST', `/metadata/${owner}/extensions`, schema);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  return t;
}

/** The next id a table hands out, so that the documented ids exist. */
async function nextId(table: 'service' | 'state' | 'task', id: number): Promise<void> {
  await t.sql(`SELECT setval(pg_get_serial_sequence('${table}', '${table}_id'), $1, false)`, [id]);
}

const single = (name: string, attributes: [string, string][]) => ({
  name,
  type: 'single-valued',
  attributes: attributes.map(([n, type]) => ({ name: n, type })),
});
const multi = (name: string, key: string, attributes: [string, string][]) => ({
  name,
  type: 'multi-valued',
  attributes: attributes.map(([n, type]) => ({ name: n, type, unique: n === key })),
});

const START_SERVICE = `{
  "timestamp": "2009-05-12T12:05:12.145Z",
  "interaction_id": "123ABCAADFJ1259ACF",
  "application_type": 400,
  "application_id": 40,
  "est_duration": 60,
  "contact_key": "42",
  "service_type": 100,
  "media_type": 1,
  "resource_id": 5005,
  "resource_type": 2,
  "disposition": 10,
  "coupon": { "coupon_name": "DISCOUNTCODE15" },
  "satisfaction": { "score": 85, "agentID": 2025 },
  "relatedOffers": [
    { "offer_name": "VIP credit card black ed.", "type": 9, "comments": "proposed to all client" },
    { "offer_name": "3 times payment GOLD", "type": 4, "comments": "limited offer" },
    { "offer_name": "life insurance", "type": 3, "comments": "healt check to be done before approval" }
  ]
}`;

describe('Start Service', () => {
  it('answers 201, Location and the service_id, and stores the extensions (disposition accepted and ignored)', async () => {
    await rootGateway([
      { owner: 'services', schema: single('coupon', [['coupon_name', 'string']]) },
      {
        owner: 'services',
        schema: single('satisfaction', [
          ['score', 'integer'],
          ['agentID', 'long'],
        ]),
      },
      {
        owner: 'services',
        schema: multi('relatedOffers', 'offer_name', [
          ['offer_name', 'string'],
          ['type', 'integer'],
          ['comments', 'string'],
        ]),
      },
    ]);
    await nextId('service', 12349857);
    const started = await send(t, 'POST', '/services/start', START_SERVICE);
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe('/services/12349857');
    expect(started.body).toEqual({ service_id: 12349857 });
    const read = await send(t, 'GET', '/services/12349857?extensions=*');
    expect(read.body).toEqual({
      service_id: 12349857,
      contact_key: '42',
      service_type: 100,
      est_duration: 60,
      started: {
        timestamp: '2009-05-12T12:05:12.145Z',
        interaction_id: '123ABCAADFJ1259ACF',
        application_type: 400,
        application_id: 40,
        resource_type: 2,
        resource_id: 5005,
        media_type: 1,
      },
      coupon: { coupon_name: 'DISCOUNTCODE15' },
      satisfaction: { score: 85, agentID: 2025 },
      relatedOffers: JSON.parse(START_SERVICE).relatedOffers,
    });
    expect((await send(t, 'GET', '/services/anonymous/42/active')).body).toEqual([expect.objectContaining({ service_id: 12349857 })]);
  });

  it('refuses the published page’s trailing commas with 400, as the reference’s JSON parser does', async () => {
    await rootGateway([]);
    const published = '{ "contact_key": "42", "relatedOffers": [ { "offer_name": "x" }, ], }';
    expect(await send(t, 'POST', '/services/start', published)).toMatchObject({ status: 400, body: { code: 'BAD_USER_INPUT' } });
  });
});

describe('Associate Service', () => {
  it('associates with Feedback and a multi-valued Satisfaction (200); a second customer overrides the first', async () => {
    await rootGateway([
      {
        owner: 'services',
        schema: single('Feedback', [
          ['FeedbackType', 'string'],
          ['rating', 'integer'],
          ['notes', 'string'],
        ]),
      },
      { owner: 'services', schema: multi('Satisfaction', 'place', [['place', 'string']]) },
    ]);
    await nextId('service', 1500);
    expect((await send(t, 'POST', '/services/start', { contact_key: 'CK' })).body).toEqual({ service_id: 1500 });
    const associated = await send(
      t,
      'POST',
      '/customers/0004Va58A92T0018/services/1500',
      `{
  "timestamp": "2009-05-12T12:05:12.145Z",
  "interaction_id": "123ABCAADFJ1259ACF",
  "media_type": 1,
  "resource_id": 5005,
  "resource_type": 2,
  "disposition": 10,
  "Feedback": { "FeedbackType": "survey", "rating": 7,
                "notes": "warm welcome at frontdesk, thanks for the nice trip" },
  "Satisfaction": [ { "place": "Terranova mexico resort" }, { "place": "Fancy resort Paris" } ]
}`,
    );
    expect(associated.status).toBe(200);
    const history = await send(t, 'GET', '/customers/0004Va58A92T0018/services/active?extensions=Feedback,Satisfaction');
    expect(history.body).toEqual([
      expect.objectContaining({
        service_id: 1500,
        customer_id: '0004Va58A92T0018',
        Feedback: { FeedbackType: 'survey', rating: 7, notes: 'warm welcome at frontdesk, thanks for the nice trip' },
        Satisfaction: [{ place: 'Terranova mexico resort' }, { place: 'Fancy resort Paris' }],
      }),
    ]);
    expect((await send(t, 'POST', '/customers/SECOND/services/1500')).status).toBe(200);
    for (const list of ['', '/active', '/completed']) {
      expect((await send(t, 'GET', `/customers/0004Va58A92T0018/services${list}`)).body).toEqual([]);
    }
    expect((await send(t, 'GET', '/customers/SECOND/services')).body).toEqual([expect.objectContaining({ service_id: 1500 })]);
  });
});

describe('Perform State Transition', () => {
  it('completes state 1001 with its extensions and starts the next (201); the tasks of 1001 stay active', async () => {
    await rootGateway([
      {
        owner: 'states',
        schema: single('Feedback', [
          ['FeedbackType', 'string'],
          ['rating', 'integer'],
          ['notes', 'string'],
        ]),
      },
      { owner: 'states', schema: multi('Satisfaction', 'place', [['place', 'string']]) },
      {
        owner: 'states',
        schema: single('Sponsoring', [
          ['Rank', 'string'],
          ['expire', 'integer'],
          ['notes', 'string'],
        ]),
      },
    ]);
    await nextId('service', 735692);
    await nextId('state', 1001);
    await send(t, 'POST', '/services/start', { customer_id: 'C1', timestamp: '2009-05-07T12:00:00.000Z' });
    expect((await send(t, 'POST', '/services/735692/states/start', { timestamp: '2009-05-07T12:00:00.000Z' })).body).toEqual({
      state_id: 1001,
    });
    const task = await send(t, 'POST', '/services/735692/tasks/start', { state_id: 1001, timestamp: '2009-05-07T12:01:00.000Z' });
    const moved = await send(
      t,
      'POST',
      '/services/735692/states/transition',
      `{
  "timestamp": "2009-05-07T12:05:20.157",
  "session_id": "11000ABC-80236C1A-1010",
  "interaction_id": "123ABC908ABFFD8080",
  "from": {
    "state_id": 1001,
    "disposition": 1,
    "disposition_desc": "SUCCESS",
    "Feedback": { "FeedbackType": "survey", "rating": 7,
                  "notes": "warm welcome at frontdesk, thanks for the nice trip" },
    "Satisfaction": [ { "place": "Terranova mexico resort" }, { "place": "Fancy resort Paris" } ]
  },
  "to": {
    "state_type": 8,
    "est_duration": 500,
    "Sponsoring": { "Rank": "first", "expire": 7, "notes": "give customer free meal" }
  }
}`,
    );
    expect(moved.status).toBe(201);
    const next = moved.body.state_id;
    const event = { timestamp: '2009-05-07T12:05:20.157Z', session_id: '11000ABC-80236C1A-1010', interaction_id: '123ABC908ABFFD8080' };
    expect((await send(t, 'GET', '/services/735692/states/1001?extensions=*')).body).toEqual({
      service_id: 735692,
      state_id: 1001,
      disposition: 1,
      disposition_desc: 'SUCCESS',
      duration: 320_157,
      started: { timestamp: '2009-05-07T12:00:00.000Z' },
      completed: event,
      Feedback: { FeedbackType: 'survey', rating: 7, notes: 'warm welcome at frontdesk, thanks for the nice trip' },
      Satisfaction: [{ place: 'Terranova mexico resort' }, { place: 'Fancy resort Paris' }],
    });
    expect((await send(t, 'GET', `/services/735692/states/${next}?extensions=Sponsoring`)).body).toEqual({
      service_id: 735692,
      state_id: next,
      state_type: 8,
      previous_state_id: 1001,
      est_duration: 500,
      started: event,
      Sponsoring: { Rank: 'first', expire: 7, notes: 'give customer free meal' },
    });
    expect((await send(t, 'GET', `/services/735692/tasks/active?state_id=1001`)).body).toEqual([
      expect.objectContaining({ task_id: task.body.task_id }),
    ]);
  });
});

describe('Start and complete State and Task (8.5 paths)', () => {
  it('starts task 24 of service 21456878 with a single- and a multi-valued extension, then completes it and its state', async () => {
    t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
    await nextId('service', 21456878);
    await nextId('state', 24);
    await rest(t, 'POST', '/services/start', { customer_id: 'C1' });
    expect((await rest(t, 'POST', '/services/21456878/states/start', { state_type: 'identification' })).body).toEqual({ state_id: 24 });
    const started = await send(
      t,
      'POST',
      '/genesys/1/cs/services/21456878/tasks/start',
      '{"interaction_id":42,"est_duration":460,"state_id":24,"task_type":"customer info","Survey":{"score":9},"Proposal":[{"offer":"a"},{"offer":"b"}]}',
    );
    expect(started.status).toBe(201);
    const taskId = started.body.task_id;
    expect((await rest(t, 'GET', `/services/21456878/tasks/${taskId}?extensions=*`)).body).toMatchObject({
      state_id: 24,
      task_type: 'customer info',
      est_duration: 460,
      started: { interaction_id: '42' },
      Survey: { score: 9 },
      Proposal: [{ offer: 'a' }, { offer: 'b' }],
    });
    expect((await rest(t, 'POST', `/services/21456878/tasks/${taskId}/end`, { disposition: 1, disposition_desc: 'done' })).status).toBe(
      200,
    );
    expect((await rest(t, 'POST', '/services/21456878/states/24/end', { disposition: 2 })).status).toBe(200);
    expect((await rest(t, 'GET', '/services/21456878?completed_states=true&completed_tasks=true')).body).toMatchObject({
      completed_states: [{ state_id: 24, disposition: 2 }],
      completed_tasks: [{ task_id: taskId, disposition: 1, disposition_desc: 'done' }],
    });
  });
});

describe('Query active services with their active states', () => {
  it('answers the documented shape: no service_id or customer_id inside the nested states', async () => {
    await rootGateway([]);
    await nextId('service', 4692834);
    await nextId('state', 5005);
    await send(t, 'POST', '/services/start', { customer_id: 'ABC1234', est_duration: 86400, timestamp: '2009-05-07T12:05:20.157Z' });
    await send(t, 'POST', '/services/4692834/states/start', { state_type: 8, timestamp: '2009-05-07T12:08:53.298Z' });
    expect((await send(t, 'GET', '/customers/ABC1234/services/active?active_states=true')).body).toEqual([
      {
        customer_id: 'ABC1234',
        service_id: 4692834,
        est_duration: 86400,
        started: { timestamp: '2009-05-07T12:05:20.157Z' },
        active_states: [{ state_id: 5005, state_type: 8, started: { timestamp: '2009-05-07T12:08:53.298Z' } }],
      },
    ]);
  });
});
