// Operations 1-3 and 5-9 through HTTP: start, associate and complete services; start, complete
// and transition states; start and complete tasks. Each: success, not found, bad input, conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { COUNT_ROWS } from '../support/operations.js';
import { BASE, rest } from './support.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  await t.ok(`mutation {
    createExtensionSchema(input: { owner: SERVICE, name: "coupon", multiValued: false,
      attributes: [{ name: "coupon_name", type: STRING, length: 20 }] }) { extensionSchema { name } }
  }`);
  await t.ok(`mutation {
    createExtensionSchema(input: { owner: STATE, name: "Feedback", multiValued: false,
      attributes: [{ name: "rating", type: INTEGER }] }) { extensionSchema { name } }
  }`);
});
afterAll(() => t.close());

const SERVICE = `query($id: ID!) { service(serviceId: $id) {
  serviceId customerId contactKey anonymous status estDuration dispositionDesc serviceType { id name } disposition { id name }
  started { timestamp sessionId interactionId applicationType { id } applicationId resourceId } completed { timestamp } extensions
} }`;

async function startService(body: Record<string, unknown> = { customer_id: 'C1' }): Promise<string> {
  const started = await rest(t, 'POST', '/services/start', body);
  expect(started.status).toBe(201);
  return String(started.body.service_id);
}

async function startState(serviceId: string, body: Record<string, unknown> = {}): Promise<string> {
  const started = await rest(t, 'POST', `/services/${serviceId}/states/start`, body);
  expect(started.status).toBe(201);
  return String(started.body.state_id);
}

const errorBody = (code: string) => expect.objectContaining({ code, message: expect.any(String), exception: expect.any(String) });

describe('POST /services/start', () => {
  it('starts a service from snake_case fields, numbers or strings, and extensions as top-level keys; 201 with Location', async () => {
    const started = await rest(t, 'POST', '/services/start', {
      customer_id: 'C-start',
      service_type: 100,
      est_duration: '60',
      interaction_id: 42,
      session_id: 'S1',
      application_type: '400',
      application_id: 40,
      resource_id: 5005,
      timestamp: '2009-05-12T12:05:12.145',
      coupon: { coupon_name: 'DISCOUNT15' },
    });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({ service_id: expect.any(Number) });
    expect(started.headers.get('location')).toBe(`${BASE}/services/${started.body.service_id}`);
    const { service } = await t.ok(SERVICE, { id: String(started.body.service_id) });
    expect(service).toMatchObject({
      customerId: 'C-start',
      status: 'ACTIVE',
      estDuration: 60,
      serviceType: { id: 100, name: null },
      started: {
        timestamp: '2009-05-12T12:05:12.145Z',
        sessionId: 'S1',
        interactionId: '42',
        applicationType: { id: 400 },
        applicationId: 40,
        resourceId: 5005,
      },
      extensions: { coupon: { coupon_name: 'DISCOUNT15' } },
    });
  });

  it('starts an anonymous service with only a contact key', async () => {
    const id = await startService({ contact_key: '0612345678' });
    expect((await t.ok(SERVICE, { id })).service).toMatchObject({ anonymous: true, contactKey: '0612345678' });
  });

  it('refuses a body without customer_id or contact_key (400), and writes nothing', async () => {
    const before = await t.sql(COUNT_ROWS);
    const refused = await rest(t, 'POST', '/services/start', { service_type: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      message: 'a service needs a customerId or a contactKey (or both)',
      exception: 'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesException',
      code: 'BAD_USER_INPUT',
      field: 'customer_id',
    });
    expect(await t.sql(COUNT_ROWS)).toEqual(before);
  });

  it('refuses bad input at the edge and in the rules, naming the field as the body spells it', async () => {
    const cases: [unknown, string | undefined][] = [
      ['{"customer_id": "C1",}', undefined],
      ['[1, 2]', undefined],
      [{ customer_id: 'C1', est_duration: 'soon' }, 'est_duration'],
      [{ customer_id: 'C1', est_duration: -5 }, 'est_duration'],
      [{ customer_id: 'C1', timestamp: '2016-Dec-01' }, 'timestamp'],
      [{ customer_id: 'C1', coupon: { coupon_name: 'x'.repeat(21) } }, 'coupon.coupon_name'],
      [{ customer_id: 'C1', unknown_extension: { a: 1 } }, 'unknown_extension'],
    ];
    for (const [body, field] of cases) {
      const refused = await rest(t, 'POST', '/services/start', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body).toEqual(errorBody('BAD_USER_INPUT'));
      expect(refused.body.field, JSON.stringify(body)).toBe(field);
    }
    expect((await rest(t, 'POST', '/services/start')).status).toBe(400);
  });

  it('answers 501 for the reference 8.5 expiration and auto-completion fields', async () => {
    for (const field of ['ttl', 'expiration_time', 'auto_complete_after']) {
      const refused = await rest(t, 'POST', '/services/start', { customer_id: 'C1', [field]: 60 });
      expect(refused.status).toBe(501);
      expect(refused.body).toEqual(expect.objectContaining({ code: 'NOT_IMPLEMENTED', field }));
    }
  });
});

describe('POST /customers/{customer_id}/services/{service_id}', () => {
  it('associates (overriding), updating the fields and extensions sent; 200 with no body', async () => {
    const id = await startService({ contact_key: 'CK-assoc', interaction_id: 'first' });
    const associated = await rest(t, 'POST', `/customers/C-a/services/${id}`, { interaction_id: 'second', coupon: { coupon_name: 'A' } });
    expect(associated).toMatchObject({ status: 200, body: undefined });
    expect((await rest(t, 'POST', `/customers/C-b/services/${id}`)).status).toBe(200);
    expect((await t.ok(SERVICE, { id })).service).toMatchObject({
      customerId: 'C-b',
      anonymous: false,
      contactKey: 'CK-assoc',
      started: { interactionId: 'second' },
      extensions: { coupon: { coupon_name: 'A' } },
    });
  });

  it('answers 404 for an unknown service and 400 for a malformed id', async () => {
    expect(await rest(t, 'POST', '/customers/C1/services/999999')).toMatchObject({ status: 404, body: errorBody('NOT_FOUND') });
    expect(await rest(t, 'POST', '/customers/C1/services/abc')).toMatchObject({ status: 400, body: errorBody('BAD_USER_INPUT') });
  });
});

describe('POST /services/{service_id}/end', () => {
  it('completes with a disposition, without completing its states; 409 the second time', async () => {
    const id = await startService();
    const stateId = await startState(id);
    const ended = await rest(t, 'POST', `/services/${id}/end`, { disposition: 3, disposition_desc: 'done', interaction_id: 7 });
    expect(ended).toMatchObject({ status: 200, body: undefined });
    expect((await t.ok(SERVICE, { id })).service).toMatchObject({ status: 'COMPLETED', disposition: { id: 3 }, dispositionDesc: 'done' });
    expect((await t.ok('query($id: ID!) { state(stateId: $id) { status } }', { id: stateId })).state.status).toBe('ACTIVE');
    expect(await rest(t, 'POST', `/services/${id}/end`)).toMatchObject({ status: 409, body: errorBody('CONFLICT') });
  });

  it('answers 404 for an unknown service and 400 for a completion before the start', async () => {
    expect((await rest(t, 'POST', '/services/999999/end')).status).toBe(404);
    const id = await startService({ customer_id: 'C1', timestamp: '2020-01-01T00:00:00.000Z' });
    const refused = await rest(t, 'POST', `/services/${id}/end`, { timestamp: '2019-01-01T00:00:00Z' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'BAD_USER_INPUT', field: 'timestamp' } });
  });
});

describe('states', () => {
  it('starts a state (201 with Location) and completes it (200), then 409', async () => {
    const id = await startService();
    const started = await rest(t, 'POST', `/services/${id}/states/start`, {
      state_type: 'collect',
      est_duration: 30,
      Feedback: { rating: 4 },
    });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`${BASE}/services/${id}/states/${started.body.state_id}`);
    const stateId = String(started.body.state_id);
    const ended = await rest(t, 'POST', `/services/${id}/states/${stateId}/end`, { disposition: 'ok' });
    expect(ended.status).toBe(200);
    const { state } = await t.ok('query($id: ID!) { state(stateId: $id) { status stateType { name } disposition { name } extensions } }', {
      id: stateId,
    });
    expect(state).toEqual({
      status: 'COMPLETED',
      stateType: { name: 'collect' },
      disposition: { name: 'ok' },
      extensions: { Feedback: { rating: 4 } },
    });
    expect((await rest(t, 'POST', `/services/${id}/states/${stateId}/end`)).status).toBe(409);
  });

  it('answers 404 for a state of another service, an unknown state or service; 409 under a completed service', async () => {
    const a = await startService();
    const b = await startService();
    const stateOfA = await startState(a);
    expect((await rest(t, 'POST', `/services/${b}/states/${stateOfA}/end`)).status).toBe(404);
    expect((await rest(t, 'POST', `/services/${a}/states/999999/end`)).status).toBe(404);
    expect((await rest(t, 'POST', '/services/999999/states/start', {})).status).toBe(404);
    await rest(t, 'POST', `/services/${b}/end`);
    expect((await rest(t, 'POST', `/services/${b}/states/start`, {})).status).toBe(409);
    expect((await rest(t, 'POST', `/services/${a}/states/start`, { est_duration: 'long' })).status).toBe(400);
    const badEnd = await rest(t, 'POST', `/services/${a}/states/${stateOfA}/end`, { disposition_desc: 'x'.repeat(4001) });
    expect(badEnd).toMatchObject({ status: 400, body: { field: 'disposition_desc' } });
  });

  it('transitions: completes from, starts to (201 with the new state), extensions on each side', async () => {
    const id = await startService();
    const from = await startState(id);
    const moved = await rest(t, 'POST', `/services/${id}/states/transition`, {
      interaction_id: 'I-9',
      from: { state_id: Number(from), disposition: 1, disposition_desc: 'SUCCESS', Feedback: { rating: 7 } },
      to: { state_type: 8, est_duration: 500 },
    });
    expect(moved.status).toBe(201);
    const next = String(moved.body.state_id);
    expect(moved.headers.get('location')).toBe(`${BASE}/services/${id}/states/${next}`);
    const states = await t.ok(
      `query($a: ID!, $b: ID!) { a: state(stateId: $a) { status dispositionDesc extensions completed { interactionId } }
        b: state(stateId: $b) { status previousStateId stateType { id } estDuration started { interactionId } } }`,
      { a: from, b: next },
    );
    expect(states).toEqual({
      a: { status: 'COMPLETED', dispositionDesc: 'SUCCESS', extensions: { Feedback: { rating: 7 } }, completed: { interactionId: 'I-9' } },
      b: { status: 'ACTIVE', previousStateId: from, stateType: { id: 8 }, estDuration: 500, started: { interactionId: 'I-9' } },
    });
    const again = await rest(t, 'POST', `/services/${id}/states/transition`, { from: { state_id: from }, to: {} });
    expect(again).toMatchObject({ status: 409, body: errorBody('CONFLICT') });
  });

  it('refuses a transition without from, with shared extensions, or from an unknown state', async () => {
    const id = await startService();
    const from = await startState(id);
    expect(await rest(t, 'POST', `/services/${id}/states/transition`, { to: {} })).toMatchObject({ status: 400, body: { field: 'from' } });
    const shared = await rest(t, 'POST', `/services/${id}/states/transition`, {
      from: { state_id: from },
      to: {},
      Feedback: { rating: 1 },
    });
    expect(shared).toMatchObject({ status: 400, body: { field: 'Feedback' } });
    expect((await rest(t, 'POST', `/services/${id}/states/transition`, { from: { state_id: 999999 }, to: {} })).status).toBe(404);
    const wrongType = await rest(t, 'POST', `/services/${id}/states/transition`, {
      from: { state_id: from, Feedback: { rating: 'high' } },
      to: {},
    });
    expect(wrongType).toMatchObject({ status: 400, body: { field: 'from.Feedback.rating' } });
  });
});

describe('tasks', () => {
  it('starts a task in a state (201 with Location) and completes it (200), then 409', async () => {
    const id = await startService();
    const stateId = await startState(id);
    const started = await rest(t, 'POST', `/services/${id}/tasks/start`, {
      state_id: stateId,
      task_type: 'customer info',
      interaction_id: 42,
    });
    expect(started.status).toBe(201);
    const taskId = String(started.body.task_id);
    expect(started.headers.get('location')).toBe(`${BASE}/services/${id}/tasks/${taskId}`);
    expect((await rest(t, 'POST', `/services/${id}/tasks/${taskId}/end`, { disposition_desc: 'done' })).status).toBe(200);
    const { task } = await t.ok('query($id: ID!) { task(taskId: $id) { stateId status taskType { name } dispositionDesc } }', {
      id: taskId,
    });
    expect(task).toEqual({ stateId, status: 'COMPLETED', taskType: { name: 'customer info' }, dispositionDesc: 'done' });
    expect((await rest(t, 'POST', `/services/${id}/tasks/${taskId}/end`)).status).toBe(409);
  });

  it('answers 404 for a task of another service, 400 for a state of another service, 409 in a completed state', async () => {
    const a = await startService();
    const b = await startService();
    const task = await rest(t, 'POST', `/services/${a}/tasks/start`, {});
    expect((await rest(t, 'POST', `/services/${b}/tasks/${task.body.task_id}/end`)).status).toBe(404);
    expect((await rest(t, 'POST', '/services/999999/tasks/start', {})).status).toBe(404);
    const stateOfB = await startState(b);
    expect(await rest(t, 'POST', `/services/${a}/tasks/start`, { state_id: stateOfB })).toMatchObject({
      status: 400,
      body: { field: 'state_id' },
    });
    await rest(t, 'POST', `/services/${b}/states/${stateOfB}/end`);
    expect((await rest(t, 'POST', `/services/${b}/tasks/start`, { state_id: stateOfB })).status).toBe(409);
    const badEnd = await rest(t, 'POST', `/services/${a}/tasks/${task.body.task_id}/end`, { timestamp: 'yesterday' });
    expect(badEnd).toMatchObject({ status: 400, body: { field: 'timestamp' } });
  });
});

describe('the route table', () => {
  it('answers 404 with the reference error body under the base path, and 405 naming the methods', async () => {
    expect(await rest(t, 'GET', '/nothing/here')).toMatchObject({ status: 404, body: errorBody('NOT_FOUND') });
    const wrong = await rest(t, 'GET', '/services/1/end');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
