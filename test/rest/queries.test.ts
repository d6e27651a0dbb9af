// Operations 10-16 through HTTP: lists of services, states and tasks, and one of each by id, with
// the reference's query flags, filters and extensions; success, not found and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { rest } from './support.js';

let t: TestGateway;
let serviceId: string;
let stateId: string;
let taskId: string;
let doneServiceId: string;
const T0 = '2009-05-07T12:05:20.157Z';

async function post(path: string, body: Record<string, unknown> = {}) {
  const answer = await rest(t, 'POST', path, body);
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  return answer.body;
}

beforeAll(async () => {
  t = await createTestGateway();
  for (const [owner, name] of [
    ['SERVICE', 'Coupon'],
    ['STATE', 'Feedback'],
    ['TASK', 'Survey'],
  ]) {
    await t.ok(`mutation { createExtensionSchema(input: { owner: ${owner}, name: "${name}", multiValued: false,
      attributes: [{ name: "note", type: STRING }] }) { extensionSchema { name } } }`);
  }
  await t.ok(`mutation { defineBusinessAttribute(input: { name: "ServiceType", fields: ["Service.serviceType"],
    values: [{ id: 100, name: "hotel-booking" }, { id: 200, name: "car-rental" }] }) { businessAttribute { name } } }`);
  serviceId = String(
    (
      await post('/services/start', {
        customer_id: 'ABC1234',
        service_type: 100,
        est_duration: 86400,
        timestamp: T0,
        interaction_id: 'I-1',
        media_type: 1,
        Coupon: { note: 'c' },
      })
    ).service_id,
  );
  stateId = String(
    (await post(`/services/${serviceId}/states/start`, { state_type: 8, timestamp: '2009-05-07T12:08:53.298Z', Feedback: { note: 'f' } }))
      .state_id,
  );
  taskId = String(
    (
      await post(`/services/${serviceId}/tasks/start`, {
        state_id: stateId,
        task_type: 'fill',
        timestamp: '2009-05-07T12:09:00.000Z',
        Survey: { note: 's' },
      })
    ).task_id,
  );
  const oldState = String((await post(`/services/${serviceId}/states/start`, { state_type: 7, timestamp: T0 })).state_id);
  await post(`/services/${serviceId}/states/${oldState}/end`, { disposition: 1, timestamp: '2009-05-07T12:06:20.157Z' });
  doneServiceId = String(
    (await post('/services/start', { customer_id: 'ABC1234', service_type: 'car-rental', timestamp: '2009-05-08T00:00:00Z' })).service_id,
  );
  await post(`/services/${doneServiceId}/end`, { disposition_desc: 'returned', timestamp: '2009-05-08T01:00:00Z' });
  await post('/services/start', { contact_key: '0612', timestamp: '2009-05-09T00:00:00Z' });
  await post('/services/start', { customer_id: 'OTHER', contact_key: '0612' });
});
afterAll(() => t.close());

describe('GET /customers/{customer_id}/services', () => {
  it('answers the documented agent-desktop read: active services with their active states', async () => {
    const answer = await rest(t, 'GET', '/customers/ABC1234/services/active?active_states=true');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([
      {
        customer_id: 'ABC1234',
        service_id: Number(serviceId),
        service_type: 100,
        est_duration: 86400,
        started: { timestamp: T0, interaction_id: 'I-1', media_type: 1 },
        active_states: [{ state_id: Number(stateId), state_type: 8, started: { timestamp: '2009-05-07T12:08:53.298Z' } }],
      },
    ]);
  });

  it('lists all, active or completed services, with durations and dispositions on completed ones', async () => {
    const all = await rest(t, 'GET', '/customers/ABC1234/services');
    expect(all.body.map((s: any) => s.service_id)).toEqual([Number(serviceId), Number(doneServiceId)]);
    const completed = await rest(t, 'GET', '/customers/ABC1234/services/completed?map_names=true');
    expect(completed.body).toEqual([
      {
        customer_id: 'ABC1234',
        service_id: Number(doneServiceId),
        service_type: 'car-rental',
        duration: 3_600_000,
        disposition_desc: 'returned',
        started: { timestamp: '2009-05-08T00:00:00.000Z' },
        completed: { timestamp: '2009-05-08T01:00:00.000Z' },
      },
    ]);
  });

  it('nests states and tasks, active and completed, and the extensions asked for at each level', async () => {
    const answer = await rest(
      t,
      'GET',
      '/customers/ABC1234/services/active?active_states=true&completed_states=true&active_tasks=true&extensions=coupon,State.*,task.survey',
    );
    const [service] = answer.body;
    expect(service.Coupon).toEqual({ note: 'c' });
    expect(service.active_states).toEqual([expect.objectContaining({ state_id: Number(stateId), Feedback: { note: 'f' } })]);
    expect(service.completed_states).toEqual([expect.objectContaining({ state_type: 7, disposition: 1, duration: 60_000 })]);
    expect(service.active_tasks).toEqual([
      {
        task_id: Number(taskId),
        state_id: Number(stateId),
        task_type: 'fill',
        started: { timestamp: '2009-05-07T12:09:00.000Z' },
        Survey: { note: 's' },
      },
    ]);
    expect(service.completed_tasks).toBeUndefined();
    const all = await rest(t, 'GET', '/customers/ABC1234/services/active?active_states=true&extensions=*');
    expect(all.body[0]).toMatchObject({ Coupon: { note: 'c' }, active_states: [{ Feedback: { note: 'f' } }] });
  });

  it('filters by service_types (ids or names) and start time; pages with limit and a Link to the next page', async () => {
    const byName = await rest(t, 'GET', '/customers/ABC1234/services?service_types=car-rental');
    expect(byName.body.map((s: any) => s.service_id)).toEqual([Number(doneServiceId)]);
    const byId = await rest(t, 'GET', '/customers/ABC1234/services?service_types=100,999');
    expect(byId.body.map((s: any) => s.service_id)).toEqual([Number(serviceId)]);
    const from = await rest(t, 'GET', '/customers/ABC1234/services?started_from=2009-05-08T00:00:00.000Z');
    expect(from.body.map((s: any) => s.service_id)).toEqual([Number(doneServiceId)]);
    const to = await rest(t, 'GET', '/customers/ABC1234/services?started_to=2009-05-08T00:00:00');
    expect(to.body.map((s: any) => s.service_id)).toEqual([Number(serviceId)]);
    const first = await rest(t, 'GET', '/customers/ABC1234/services?limit=1');
    expect(first.body).toHaveLength(1);
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(link).toMatch(/^\/genesys\/1\/cs\/customers\/ABC1234\/services\?limit=1&after=/);
    const second = await t.gateway.fetch(`http://gateway.test${link}`);
    expect((await second.json()).map((s: any) => s.service_id)).toEqual([Number(doneServiceId)]);
    expect(second.headers.get('link')).toBeNull();
  });

  it('answers an empty list for a customer without services, and 400 for bad flags, times and limits', async () => {
    expect(await rest(t, 'GET', '/customers/NOBODY/services')).toMatchObject({ status: 200, body: [] });
    for (const query of ['active_states=yes', 'started_from=2016-Dec-01', 'limit=0', 'limit=501', 'limit=ten']) {
      const refused = await rest(t, 'GET', `/customers/ABC1234/services?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.code, query).toBe('BAD_USER_INPUT');
    }
  });

  it('reads the whole agent-desktop tree with ONE statement', async () => {
    const path = '/customers/ABC1234/services/active?active_states=true&active_tasks=true&extensions=Coupon,State.Feedback,Task.Survey';
    await rest(t, 'GET', path);
    const statements = await t.recordQueries(() => rest(t, 'GET', path));
    expect(statements).toHaveLength(1);
  });
});

describe('GET /services/anonymous/{contact_key}', () => {
  it('lists only anonymous services of the contact key; an associated one leaves the list', async () => {
    const answer = await rest(t, 'GET', '/services/anonymous/0612/active');
    expect(answer.body).toEqual([
      { service_id: expect.any(Number), contact_key: '0612', started: { timestamp: '2009-05-09T00:00:00.000Z' } },
    ]);
    const id = answer.body[0].service_id;
    expect((await rest(t, 'GET', '/services/anonymous/0612/completed')).body).toEqual([]);
    await post(`/customers/C-later/services/${id}`);
    expect((await rest(t, 'GET', '/services/anonymous/0612')).body).toEqual([]);
    expect((await rest(t, 'GET', '/services/anonymous/unknown-key')).body).toEqual([]);
    expect((await rest(t, 'GET', '/services/anonymous/0612?completed_states=maybe')).status).toBe(400);
  });
});

describe('GET /services/{service_id}/states and /tasks', () => {
  it('lists the states of a service with their tasks, each carrying service_id', async () => {
    const answer = await rest(t, 'GET', `/services/${serviceId}/states/active?active_tasks=true&extensions=feedback`);
    expect(answer.body).toEqual([
      {
        service_id: Number(serviceId),
        state_id: Number(stateId),
        state_type: 8,
        started: { timestamp: '2009-05-07T12:08:53.298Z' },
        Feedback: { note: 'f' },
        active_tasks: [expect.objectContaining({ task_id: Number(taskId) })],
      },
    ]);
    expect((await rest(t, 'GET', `/services/${serviceId}/states?state_types=7`)).body).toEqual([
      expect.objectContaining({ state_type: 7 }),
    ]);
    expect((await rest(t, 'GET', '/services/999999/states')).status).toBe(404);
    expect((await rest(t, 'GET', `/services/${serviceId}/states?active_tasks=maybe`)).status).toBe(400);
  });

  it('lists the tasks of a service, or of one of its states; a state of another service is 404', async () => {
    const all = await rest(t, 'GET', `/services/${serviceId}/tasks?extensions=Survey`);
    expect(all.body).toEqual([expect.objectContaining({ service_id: Number(serviceId), task_id: Number(taskId), Survey: { note: 's' } })]);
    const ofState = await rest(t, 'GET', `/services/${serviceId}/tasks/active?state_id=${stateId}&task_types=fill`);
    expect(ofState.body).toHaveLength(1);
    expect((await rest(t, 'GET', `/services/${serviceId}/tasks/completed`)).body).toEqual([]);
    expect((await rest(t, 'GET', `/services/${doneServiceId}/tasks?state_id=${stateId}`)).status).toBe(404);
    expect((await rest(t, 'GET', `/services/${serviceId}/tasks?state_id=999999`)).status).toBe(404);
    expect((await rest(t, 'GET', '/services/999999/tasks')).status).toBe(404);
    expect((await rest(t, 'GET', `/services/${serviceId}/tasks?limit=-1`)).status).toBe(400);
  });
});

describe('GET one service, state or task', () => {
  it('reads a service with no nested lists or extensions unless asked', async () => {
    const plain = await rest(t, 'GET', `/services/${serviceId}`);
    expect(Object.keys(plain.body).sort()).toEqual(['customer_id', 'est_duration', 'service_id', 'service_type', 'started']);
    const full = await rest(t, 'GET', `/services/${serviceId}?active_states=true&completed_tasks=true&extensions=COUPON&map_names=true`);
    expect(full.body).toMatchObject({ service_type: 'hotel-booking', Coupon: { note: 'c' }, active_states: [{}], completed_tasks: [] });
  });

  it('reads a state and a task of the service; another service’s is 404', async () => {
    const state = await rest(t, 'GET', `/services/${serviceId}/states/${stateId}?active_tasks=true`);
    expect(state.body).toMatchObject({
      service_id: Number(serviceId),
      state_id: Number(stateId),
      active_tasks: [{ task_id: Number(taskId) }],
    });
    const task = await rest(t, 'GET', `/services/${serviceId}/tasks/${taskId}?extensions=Survey`);
    expect(task.body).toEqual({
      service_id: Number(serviceId),
      task_id: Number(taskId),
      state_id: Number(stateId),
      task_type: 'fill',
      started: { timestamp: '2009-05-07T12:09:00.000Z' },
      Survey: { note: 's' },
    });
    expect((await rest(t, 'GET', `/services/${doneServiceId}/states/${stateId}`)).status).toBe(404);
    expect((await rest(t, 'GET', `/services/${doneServiceId}/tasks/${taskId}`)).status).toBe(404);
    expect(await rest(t, 'GET', '/services/999999')).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', exception: 'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException' },
    });
    expect((await rest(t, 'GET', '/services/not-a-number')).status).toBe(404);
    expect((await rest(t, 'GET', `/services/${serviceId}?active_tasks=1`)).status).toBe(400);
    expect((await rest(t, 'GET', `/services/${serviceId}/states/${stateId}?completed_tasks=no`)).status).toBe(400);
    expect((await rest(t, 'GET', `/services/${serviceId}/tasks/${taskId}?map_names=yes`)).status).toBe(400);
  });
});
