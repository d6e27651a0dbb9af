import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
});
afterAll(() => t.close());

const DEFINE = /* GraphQL */ `
  mutation Define($input: DefineBusinessAttributeInput!) {
    defineBusinessAttribute(input: $input) {
      businessAttribute { id name displayName fields values { id name displayName } }
    }
  }
`;
const LIST = `{ businessAttributes { name displayName fields values { id name displayName } } }`;
const START = /* GraphQL */ `
  mutation Start($input: StartServiceInput!) {
    startService(input: $input) { service { serviceId serviceType { id name } started { mediaType { id name } } } }
  }
`;

const countServices = async () => (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM service'))[0].n;
const snapshot = () =>
  t.sql(`SELECT a.name, a.display_name,
                (SELECT json_agg(json_build_array(v.value_id, v.name) ORDER BY v.value_id) FROM business_attribute_value v WHERE v.attribute_id = a.id) AS values,
                (SELECT json_agg(f.field ORDER BY f.field) FROM business_attribute_field f WHERE f.attribute_id = a.id) AS fields
           FROM business_attribute a ORDER BY a.name`);

describe('defineBusinessAttribute', () => {
  it('defines an attribute and lists it with its values and fields', async () => {
    const data = await t.ok(DEFINE, {
      input: {
        name: 'MediaType',
        displayName: 'Media type',
        fields: ['Service.mediaType', 'State.mediaType'],
        values: [
          { id: 1003, name: 'email', displayName: 'E-mail' },
          { id: 1001, name: 'voice' },
          { id: 1006, name: 'chat' },
        ],
      },
    });
    const expected = {
      name: 'MediaType',
      displayName: 'Media type',
      fields: ['Service.mediaType', 'State.mediaType'],
      values: [
        { id: 1001, name: 'voice', displayName: null },
        { id: 1003, name: 'email', displayName: 'E-mail' },
        { id: 1006, name: 'chat', displayName: null },
      ],
    };
    expect(data.defineBusinessAttribute.businessAttribute).toMatchObject(expected);
    expect(data.defineBusinessAttribute.businessAttribute.id).toEqual(expect.any(Number));
    const list = await t.ok(LIST);
    expect(list.businessAttributes.find((a: { name: string }) => a.name === 'MediaType')).toEqual(expected);
  });

  it('makes a mapped field accept its values by id or by name and return both', async () => {
    await t.ok(DEFINE, {
      input: {
        name: 'ServiceType',
        fields: ['Service.serviceType'],
        values: [
          { id: 1, name: 'booking' },
          { id: 2, name: 'refund' },
        ],
      },
    });
    const byName = await t.ok(START, { input: { customerId: 'BA-1', serviceType: 'refund', mediaType: 1001 } });
    expect(byName.startService.service).toMatchObject({
      serviceType: { id: 2, name: 'refund' },
      started: { mediaType: { id: 1001, name: 'voice' } },
    });
    const byId = await t.ok(START, { input: { customerId: 'BA-1', serviceType: 1, mediaType: 'chat' } });
    expect(byId.startService.service).toMatchObject({
      serviceType: { id: 1, name: 'booking' },
      started: { mediaType: { id: 1006, name: 'chat' } },
    });
  });

  it.each([
    [
      'serviceType',
      { serviceType: 'shopping' },
      'input.serviceType',
      [
        { id: 1, name: 'booking' },
        { id: 2, name: 'refund' },
      ],
    ],
    [
      'serviceType',
      { serviceType: 3 },
      'input.serviceType',
      [
        { id: 1, name: 'booking' },
        { id: 2, name: 'refund' },
      ],
    ],
    [
      'mediaType',
      { mediaType: 'fax' },
      'input.mediaType',
      [
        { id: 1001, name: 'voice' },
        { id: 1003, name: 'email' },
        { id: 1006, name: 'chat' },
      ],
    ],
  ])('rejects an unknown %s (%j) with the valid values and writes nothing', async (_label, ref, field, valid) => {
    const before = await countServices();
    const result = await t.gql(START, { input: { customerId: 'BA-2', ...ref } });
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, validValues: valid });
    for (const value of valid) expect(result.errors?.[0].message).toContain(`${value.id}=${value.name}`);
    expect(await countServices()).toBe(before);
    expect(await t.sql(`SELECT 1 FROM customer WHERE customer_id = 'BA-2'`)).toEqual([]);
  });

  it('stores what it was given on a field no attribute is mapped to', async () => {
    const data = await t.ok(START, { input: { customerId: 'BA-3', applicationType: 'crm', resourceType: 42 } });
    const [row] = await t.sql(`SELECT started FROM service WHERE service_id = $1`, [data.startService.service.serviceId]);
    expect(row.started).toMatchObject({ applicationType: { id: null, name: 'crm' }, resourceType: { id: 42, name: null } });
    const read = await t.ok(
      `query($id: ID!) { service(serviceId: $id) { started { applicationType { id name } resourceType { id name } } } }`,
      {
        id: data.startService.service.serviceId,
      },
    );
    expect(read.service.started).toEqual({ applicationType: { id: null, name: 'crm' }, resourceType: { id: 42, name: null } });
  });

  it('replaces the values on re-define, keeping the fields and display name when omitted', async () => {
    await t.ok(DEFINE, {
      input: {
        name: 'Disposition',
        displayName: 'Outcome',
        fields: ['Service.disposition'],
        values: [
          { id: 1, name: 'sold' },
          { id: 2, name: 'lost' },
        ],
      },
    });
    const data = await t.ok(DEFINE, {
      input: {
        name: 'Disposition',
        values: [
          { id: 2, name: 'lost' },
          { id: 3, name: 'deferred' },
        ],
      },
    });
    expect(data.defineBusinessAttribute.businessAttribute).toMatchObject({
      name: 'Disposition',
      displayName: 'Outcome',
      fields: ['Service.disposition'],
      values: [
        { id: 2, name: 'lost' },
        { id: 3, name: 'deferred' },
      ],
    });
    const ids = await t.sql(`SELECT v.value_id FROM business_attribute_value v JOIN business_attribute a ON a.id = v.attribute_id
                              WHERE a.name = 'Disposition' ORDER BY 1`);
    expect(ids.map((r) => r.value_id)).toEqual([2, 3]);
  });

  it('replaces the field mappings when fields are given; an empty list unmaps every field', async () => {
    await t.ok(DEFINE, { input: { name: 'TaskType', fields: ['Task.taskType', 'Task.mediaType'], values: [{ id: 7, name: 'call' }] } });
    const moved = await t.ok(DEFINE, { input: { name: 'TaskType', fields: ['Task.taskType'], values: [{ id: 7, name: 'call' }] } });
    expect(moved.defineBusinessAttribute.businessAttribute.fields).toEqual(['Task.taskType']);
    const cleared = await t.ok(DEFINE, { input: { name: 'TaskType', fields: [], values: [{ id: 7, name: 'call' }] } });
    expect(cleared.defineBusinessAttribute.businessAttribute.fields).toEqual([]);
  });

  it('refuses a field mapped to another attribute with CONFLICT and changes nothing', async () => {
    const before = await snapshot();
    const result = await t.gql(DEFINE, {
      input: { name: 'Channel', fields: ['State.stateType', 'Service.mediaType'], values: [{ id: 1, name: 'web' }] },
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.fields[1]' });
    expect(result.errors?.[0].message).toContain('"MediaType"');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a name with a space', { name: 'Media Type' }, 'input.name'],
    ['a name starting with a digit', { name: '1Media' }, 'input.name'],
    ['a name of 65 characters', { name: `A${'b'.repeat(64)}` }, 'input.name'],
    ['no values', { values: [] }, 'input.values'],
    [
      'a repeated value id',
      {
        values: [
          { id: 1, name: 'a' },
          { id: 1, name: 'b' },
        ],
      },
      'input.values[1].id',
    ],
    [
      'a repeated value name',
      {
        values: [
          { id: 1, name: 'a' },
          { id: 2, name: 'A' },
        ],
      },
      'input.values[1].name',
    ],
    ['an empty value name', { values: [{ id: 1, name: '' }] }, 'input.values[0].name'],
    ['an unknown field', { fields: ['Service.customerId'] }, 'input.fields[0]'],
    ['a repeated field', { fields: ['Task.mediaType', 'Task.mediaType'] }, 'input.fields[1]'],
    ['a missing value id', { values: [{ name: 'a' }] }, 'input.values[0].id'],
    ['a missing values list', { values: undefined }, 'input.values'],
    ['an unknown input field', { colour: 'red' }, 'input.colour'],
  ])('rejects %s and writes nothing', async (_label, change, field) => {
    const before = await snapshot();
    const result = await t.gql(DEFINE, { input: { name: 'Fresh', values: [{ id: 1, name: 'one' }], ...change } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await snapshot()).toEqual(before);
  });

  it('names the mappable fields when a field cannot be mapped', async () => {
    const result = await t.gql(DEFINE, { input: { name: 'Fresh', fields: ['Service.colour'], values: [{ id: 1, name: 'one' }] } });
    expect(result.errors?.[0].extensions.mappableFields).toEqual(
      expect.arrayContaining(['Service.serviceType', 'State.disposition', 'Task.resourceType', 'State.applicationType']),
    );
    expect(result.errors?.[0].extensions.mappableFields).toHaveLength(15);
  });
});
