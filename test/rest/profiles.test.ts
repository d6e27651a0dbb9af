// Operations 39-53 through HTTP: profiles, their extension records and schemas, identification,
// identification keys and business attributes; and the operations answered 501.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { BASE, rest } from './support.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  expect(
    (
      await rest(t, 'POST', '/metadata/profiles/extensions', {
        name: 'Loyalty',
        type: 'single-valued',
        attributes: [{ name: 'tier', type: 'string' }],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await rest(t, 'POST', '/metadata/profiles/extensions', {
        name: 'Phones',
        type: 'multi-valued',
        attributes: [
          { name: 'number', type: 'string', unique: true },
          { name: 'kind', type: 'string' },
        ],
      })
    ).status,
  ).toBe(201);
});
afterAll(() => t.close());

describe('profiles', () => {
  it('creates (201 with Location), reads with the extensions asked for, updates, inserts extension records', async () => {
    const created = await rest(t, 'POST', '/profiles', {
      customer_id: '0004Va58A92T0018',
      FirstName: 'Marie',
      PhoneNumber: ['+33 1', '+33 6'],
      Loyalty: { tier: 'gold' },
    });
    expect(created).toMatchObject({ status: 201, body: { customer_id: '0004Va58A92T0018' } });
    expect(created.headers.get('location')).toBe(`${BASE}/profiles/0004Va58A92T0018`);
    expect((await rest(t, 'GET', '/profiles/0004Va58A92T0018')).body).toEqual({
      customer_id: '0004Va58A92T0018',
      FirstName: 'Marie',
      PhoneNumber: ['+33 1', '+33 6'],
    });
    expect((await rest(t, 'GET', '/profiles/0004Va58A92T0018?extensions=loyalty')).body).toMatchObject({ Loyalty: { tier: 'gold' } });
    expect((await rest(t, 'PUT', '/profiles/0004Va58A92T0018', { LastName: 'Curie' })).status).toBe(200);
    expect(
      (await rest(t, 'POST', '/profiles/0004Va58A92T0018/extensions', { Phones: [{ number: '1', kind: 'home' }, { number: '2' }] })).status,
    ).toBe(200);
    expect((await rest(t, 'GET', '/profiles/0004Va58A92T0018?extensions=*')).body).toEqual({
      customer_id: '0004Va58A92T0018',
      LastName: 'Curie',
      Loyalty: { tier: 'gold' },
      Phones: [{ number: '1', kind: 'home' }, { number: '2' }],
    });
    const generated = await rest(t, 'POST', '/profiles', { FirstName: 'Pierre' });
    expect(generated.body.customer_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('updates and deletes profile extension records by unique key (204)', async () => {
    await rest(t, 'POST', '/profiles', { customer_id: 'P-rec', Phones: [{ number: '1' }, { number: '2' }] });
    expect((await rest(t, 'PUT', '/profiles/P-rec/extensions/Phones/by/unique', { number: '1', kind: 'work' })).status).toBe(204);
    expect((await rest(t, 'PUT', '/profiles/P-rec/extensions/Phones/delete/by/unique', { number: '2' })).status).toBe(204);
    expect((await rest(t, 'GET', '/profiles/P-rec?extensions=phones')).body.Phones).toEqual([{ number: '1', kind: 'work' }]);
    expect((await rest(t, 'PUT', '/profiles/P-rec/extensions/Phones/delete/by/unique', { number: '2' })).status).toBe(404);
  });

  it('answers 404 for an unknown profile, 409 for an id taken, 400 for values the rules refuse', async () => {
    expect(await rest(t, 'GET', '/profiles/NOBODY')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await rest(t, 'PUT', '/profiles/NOBODY', { FirstName: 'x' })).status).toBe(404);
    expect((await rest(t, 'POST', '/profiles/NOBODY/extensions', { Loyalty: { tier: 'x' } })).status).toBe(404);
    expect((await rest(t, 'PUT', '/profiles/NOBODY/extensions/Phones/by/unique', { number: '1' })).status).toBe(404);
    await rest(t, 'POST', '/profiles', { customer_id: 'TAKEN' });
    expect(await rest(t, 'POST', '/profiles', { customer_id: 'TAKEN' })).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect(await rest(t, 'POST', '/profiles', { Age: 42 })).toMatchObject({ status: 400, body: { field: 'Age' } });
    expect(await rest(t, 'POST', '/profiles', { Loyalty: { tier: 3 } })).toMatchObject({ status: 400, body: { field: 'Loyalty.tier' } });
  });

  it('describes the profile schema: free core attributes, declared extensions', async () => {
    expect((await rest(t, 'GET', '/metadata/profiles')).body).toEqual({
      attributes: [],
      extensions: [
        { name: 'Loyalty', type: 'single-valued' },
        { name: 'Phones', type: 'multi-valued' },
      ],
    });
    expect((await rest(t, 'GET', '/metadata/profiles/extensions/loyalty')).body).toMatchObject({ name: 'Loyalty' });
  });
});

describe('identification keys and identify', () => {
  it('creates keys (201), lists them with extension attributes prefixed, identifies, deletes (204)', async () => {
    await rest(t, 'POST', '/profiles', { customer_id: 'ID-1', EmailAddress: 'a@example.com', Phones: [{ number: '555' }] });
    await rest(t, 'POST', '/profiles', { customer_id: 'ID-2', EmailAddress: 'b@example.com', Loyalty: { tier: 'x' } });
    const created = await rest(t, 'POST', '/metadata/identification-keys', {
      name: 'Email',
      source: 'profile',
      attributes: ['EmailAddress'],
      unique: true,
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'Email' } });
    expect(created.headers.get('location')).toBe(`${BASE}/metadata/identification-keys/Email`);
    expect(
      (await rest(t, 'POST', '/metadata/identification-keys', { name: 'Phone', source: 'Phones', attributes: ['Phones.number'] })).status,
    ).toBe(201);
    expect((await rest(t, 'GET', '/metadata/identification-keys')).body).toEqual([
      { name: 'Email', source: 'profile', attributes: ['EmailAddress'], unique: true },
      { name: 'Phone', source: 'Phones', attributes: ['Phones.number'], unique: false },
    ]);
    expect((await rest(t, 'GET', '/metadata/identification-keys/Phone')).body.source).toBe('Phones');
    expect((await rest(t, 'GET', '/profiles?EmailAddress=A@example.com')).body).toEqual([{ customer_id: 'ID-1' }]);
    expect((await rest(t, 'GET', '/profiles?Phones.number=555&include_profile=yes&extensions=*')).body).toEqual([
      { customer_id: 'ID-1', EmailAddress: 'a@example.com', Phones: [{ number: '555' }] },
    ]);
    expect((await rest(t, 'GET', '/profiles?EmailAddress=nobody@example.com')).body).toEqual([]);
    expect(await rest(t, 'DELETE', '/metadata/profiles/extensions/Phones')).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect((await rest(t, 'DELETE', '/metadata/identification-keys/Phone')).status).toBe(204);
    expect((await rest(t, 'DELETE', '/metadata/profiles/extensions/Phones')).status).toBe(204);
    expect((await rest(t, 'DELETE', '/metadata/profiles/extensions/Phones')).status).toBe(404);
    expect((await rest(t, 'GET', '/metadata/identification-keys')).body.map((k: any) => k.name)).toEqual(['Email']);
  });

  it('answers 404 for unknown keys, 409 for a name taken or a unique key shared, 400 for bad requests', async () => {
    expect((await rest(t, 'GET', '/metadata/identification-keys/None')).status).toBe(404);
    expect((await rest(t, 'DELETE', '/metadata/identification-keys/None')).status).toBe(404);
    await rest(t, 'POST', '/metadata/identification-keys', { name: 'Last', source: 'profile', attributes: ['LastName'] });
    expect(
      (await rest(t, 'POST', '/metadata/identification-keys', { name: 'Last', source: 'profile', attributes: ['LastName'] })).status,
    ).toBe(409);
    await rest(t, 'POST', '/profiles', { customer_id: 'DUP', EmailAddress: 'dup@example.com' });
    expect((await rest(t, 'POST', '/profiles', { customer_id: 'DUP2', EmailAddress: 'dup@example.com' })).status).toBe(409);
    expect(await rest(t, 'POST', '/metadata/identification-keys', { name: 'Bad', source: 'nowhere', attributes: ['x'] })).toMatchObject({
      status: 400,
      body: { field: 'source' },
    });
    expect((await rest(t, 'GET', '/profiles')).status).toBe(400);
    expect(await rest(t, 'GET', '/profiles?Unknown=1')).toMatchObject({ status: 400, body: { code: 'BAD_USER_INPUT' } });
    expect(await rest(t, 'GET', '/profiles?EmailAddress=a@example.com&id_key=None')).toMatchObject({
      status: 400,
      body: { field: 'id_key' },
    });
  });
});

describe('business attributes', () => {
  it('lists them in the reference shape, by name, or by the field they validate', async () => {
    await t.ok(`mutation { defineBusinessAttribute(input: { name: "MediaType", displayName: "Media", fields: ["Service.mediaType", "State.mediaType"],
      values: [{ id: 1001, name: "voice" }, { id: 1003, name: "email", displayName: "E-mail" }] }) { businessAttribute { name } } }`);
    await t.ok(`mutation { defineBusinessAttribute(input: { name: "ServiceType", fields: ["Service.serviceType"],
      values: [{ id: 100, name: "hotel" }] }) { businessAttribute { name } } }`);
    const media = {
      name: 'MediaType',
      dbid: expect.any(Number),
      display_name: 'Media',
      cv_attributes: ['Service.media_type', 'State.media_type'],
      values: [
        { name: 'voice', dbid: 1001 },
        { name: 'email', dbid: 1003, display_name: 'E-mail' },
      ],
    };
    expect((await rest(t, 'GET', '/metadata/business-attributes')).body).toEqual([media, expect.objectContaining({ name: 'ServiceType' })]);
    expect((await rest(t, 'GET', '/metadata/business-attributes/MediaType')).body).toEqual(media);
    expect((await rest(t, 'GET', '/metadata/business-attributes?cv-attribute=Service.type')).body).toEqual([
      expect.objectContaining({ name: 'ServiceType', cv_attributes: ['Service.type'] }),
    ]);
    expect((await rest(t, 'GET', '/metadata/business-attributes/Nothing')).status).toBe(404);
  });
});

describe('operations the gateway does not have', () => {
  it.each([
    ['DELETE', '/services/1'],
    ['PUT', '/services/1'],
    ['GET', '/server/status'],
    ['POST', '/server/mode'],
    ['POST', '/maintenance/purge'],
    ['GET', '/maintenance/services/stream'],
    ['POST', '/maintenance/services/files'],
  ])('%s %s answers 501 with the reference error body', async (method, path) => {
    const answer = await rest(t, method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(answer).toMatchObject({
      status: 501,
      body: { code: 'NOT_IMPLEMENTED', message: expect.any(String), exception: expect.any(String) },
    });
  });
});
