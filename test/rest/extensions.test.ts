// Operations 4, 17-27 (extension data) and 30-38 (extension schemas) through HTTP: success, not
// found, bad input and conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { BASE, rest } from './support.js';

let t: TestGateway;
let serviceId: string;
let stateId: string;
let taskId: string;
let otherService: string;

const OFFERS = {
  name: 'relatedOffers',
  type: 'multi-valued',
  attributes: [
    { name: 'offer_name', type: 'string', length: 50, mandatory: 'true', unique: true },
    { name: 'type', type: 'integer' },
    { name: 'comments', type: 'string', length: 0 },
  ],
};
const SCORE = {
  name: 'score',
  type: 'single-valued',
  attributes: [
    { name: 'score', type: 'integer', default: 5 },
    { name: 'agentID', type: 'long' },
  ],
};

const extensionsOf = async (kind: 'service' | 'state' | 'task', id: string) =>
  (await t.ok(`query($id: ID!) { ${kind}(${kind}Id: $id) { extensions } }`, { id }))[kind].extensions;

beforeAll(async () => {
  t = await createTestGateway();
  for (const kind of ['services', 'states', 'tasks']) {
    for (const schema of [OFFERS, SCORE]) expect((await rest(t, 'POST', `/metadata/${kind}/extensions`, schema)).status).toBe(201);
  }
  serviceId = String((await rest(t, 'POST', '/services/start', { customer_id: 'C1' })).body.service_id);
  otherService = String((await rest(t, 'POST', '/services/start', { customer_id: 'C2' })).body.service_id);
  stateId = String((await rest(t, 'POST', `/services/${serviceId}/states/start`, {})).body.state_id);
  taskId = String((await rest(t, 'POST', `/services/${serviceId}/tasks/start`, {})).body.task_id);
});
afterAll(() => t.close());

const owners = () =>
  [
    ['service', () => `/services/${serviceId}`, () => serviceId, () => '/services/999999'],
    ['state', () => `/services/${serviceId}/states/${stateId}`, () => stateId, () => `/services/${otherService}/states/${stateId}`],
    ['task', () => `/services/${serviceId}/tasks/${taskId}`, () => taskId, () => `/services/${otherService}/tasks/${taskId}`],
  ] as const;

describe.each(owners())('extension data of a %s', (kind, path, id, foreign) => {
  it('replaces an extension (200), updates and deletes records by unique key (204), merges (200)', async () => {
    const offers = [
      { offer_name: 'VIP card', type: 9, comments: 'all' },
      { offer_name: 'Gold', type: 4 },
    ];
    expect(await rest(t, 'PUT', `${path()}/extensions/relatedOffers`, offers)).toMatchObject({ status: 200, body: undefined });
    expect(await rest(t, 'PUT', `${path()}/extensions/RELATEDOFFERS/by/unique`, { offer_name: 'Gold', type: 5 })).toMatchObject({
      status: 204,
    });
    expect((await extensionsOf(kind, id())).relatedOffers).toEqual([offers[0], { offer_name: 'Gold', type: 5 }]);
    expect((await rest(t, 'PUT', `${path()}/extensions/relatedOffers/delete/by/unique`, { offer_name: 'VIP card' })).status).toBe(204);
    expect((await extensionsOf(kind, id())).relatedOffers).toEqual([{ offer_name: 'Gold', type: 5 }]);
    expect((await rest(t, 'PUT', `${path()}/extensions/score`, { score: 85, agentID: 2025 })).status).toBe(200);
    expect((await rest(t, 'PUT', `${path()}/extensions/score/merge`, { agentID: 7 })).status).toBe(200);
    expect((await extensionsOf(kind, id())).score).toEqual({ score: 85, agentID: 7 });
  });

  it('answers 404 for an unknown owner (or one of another service) and an unknown record', async () => {
    expect(await rest(t, 'PUT', `${foreign()}/extensions/score`, { score: 1 })).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await rest(t, 'PUT', `${foreign()}/extensions/score/merge`, { score: 1 })).status).toBe(404);
    expect((await rest(t, 'PUT', `${path()}/extensions/relatedOffers/by/unique`, { offer_name: 'none' })).status).toBe(404);
    expect((await rest(t, 'PUT', `${path()}/extensions/relatedOffers/delete/by/unique`, { offer_name: 'none' })).status).toBe(404);
  });

  it('answers 400 naming the field for values the schema refuses, and for unknown extensions', async () => {
    expect(await rest(t, 'PUT', `${path()}/extensions/score`, { score: 'high' })).toMatchObject({ status: 400, body: { field: 'score' } });
    expect(await rest(t, 'PUT', `${path()}/extensions/relatedOffers`, [{ type: 1 }])).toMatchObject({
      status: 400,
      body: { field: '0.offer_name' },
    });
    expect(await rest(t, 'PUT', `${path()}/extensions/nothing`, {})).toMatchObject({ status: 400, body: { field: 'ext_name' } });
    expect((await rest(t, 'PUT', `${path()}/extensions/relatedOffers/merge`, { a: 1 })).status).toBe(400);
    expect((await rest(t, 'PUT', `${path()}/extensions/score`)).status).toBe(400);
  });

  it('answers 400 for two records with the same unique key (the rules call it bad input)', async () => {
    const twice = [{ offer_name: 'same' }, { offer_name: 'same' }];
    expect((await rest(t, 'PUT', `${path()}/extensions/relatedOffers`, twice)).status).toBe(400);
  });
});

describe('extension schemas', () => {
  it('creates (201 with Location), reads one or all in the reference shape, deletes (204)', async () => {
    const created = await rest(t, 'POST', '/metadata/services/extensions', {
      name: 'Feedback',
      type: 'single-valued',
      attributes: [{ name: 'rating', type: 'integer', mandatory: false }],
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'Feedback' } });
    expect(created.headers.get('location')).toBe(`${BASE}/metadata/services/extensions/Feedback`);
    expect((await rest(t, 'GET', '/metadata/services/extensions/feedback')).body).toEqual({
      name: 'Feedback',
      type: 'single-valued',
      attributes: [{ name: 'rating', type: 'integer', mandatory: false, unique: false }],
    });
    expect((await rest(t, 'GET', '/metadata/tasks/extensions/relatedoffers')).body).toEqual({
      name: 'relatedOffers',
      type: 'multi-valued',
      attributes: [
        { name: 'offer_name', type: 'string', length: 50, mandatory: true, unique: true },
        { name: 'type', type: 'integer', mandatory: false, unique: false },
        { name: 'comments', type: 'string', mandatory: false, unique: false },
      ],
      unique: ['offer_name'],
    });
    const all = await rest(t, 'GET', '/metadata/services/extensions');
    expect(all.body.map((s: any) => s.name)).toEqual(['Feedback', 'relatedOffers', 'score']);
    expect((await rest(t, 'DELETE', '/metadata/services/extensions/FEEDBACK')).status).toBe(204);
    expect(await rest(t, 'DELETE', '/metadata/services/extensions/Feedback')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await rest(t, 'GET', '/metadata/services/extensions/Feedback')).status).toBe(404);
  });

  it('answers 409 for a name taken in any case, 400 for a bad schema, 501 for encrypted attributes', async () => {
    expect(await rest(t, 'POST', '/metadata/states/extensions', { ...SCORE, name: 'SCORE' })).toMatchObject({ status: 409 });
    expect(await rest(t, 'POST', '/metadata/states/extensions', { ...SCORE, name: '1bad' })).toMatchObject({
      status: 400,
      body: { field: 'name' },
    });
    expect(await rest(t, 'POST', '/metadata/states/extensions', { ...SCORE, name: 'x', type: 'several' })).toMatchObject({
      status: 400,
      body: { field: 'type' },
    });
    const typed = await rest(t, 'POST', '/metadata/states/extensions', {
      name: 'x',
      type: 'single-valued',
      attributes: [{ name: 'a', type: 'text' }],
    });
    expect(typed.status).toBe(400);
    const encrypted = { name: 'secret', type: 'single-valued', attributes: [{ name: 'pin', type: 'string', encrypt: true }] };
    expect(await rest(t, 'POST', '/metadata/states/extensions', encrypted)).toMatchObject({
      status: 501,
      body: { field: 'attributes.0.encrypt' },
    });
  });
});
