// The generated variable coercion (src/tree/coerce-variables.ts) must vouch only for variables
// graphql-js accepts, and coerce them as graphql-js does: whatever it lets through skips the
// coercion the executor would have done.
import { getVariableValues, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.js';
import { variableCoercer } from '../../src/tree/coerce-variables.js';

function definitions(document: string) {
  return (parse(document).definitions[0] as OperationDefinitionNode).variableDefinitions ?? [];
}

const W2 = {
  customerId: 'C000001',
  serviceType: 'hotel-booking',
  interactionId: 'i-1',
  extensions: { satisfaction: { score: 5 }, coupon: { coupon_name: 'B' } },
};
const TRANSITION = { serviceId: '12', from: { stateId: '34', disposition: 'done' }, to: { stateType: 'propose-offers' } };
const ATTRIBUTE = { name: 'code', type: 'STRING', mandatory: true };

const cases: [document: string, variables: Record<string, unknown>[]][] = [
  [
    'mutation($input: StartServiceInput!) { __typename }',
    [
      { input: W2 },
      { input: {} },
      {},
      { input: null },
      { input: [] },
      { input: [{}] },
      { input: 'x' },
      { input: { ...W2, unknown: 1 } },
      { input: { ...W2, estDuration: 60 } },
      { input: { ...W2, estDuration: 1.5 } },
      { input: { ...W2, estDuration: 2 ** 31 } },
      { input: { ...W2, estDuration: '60' } },
      { input: { ...W2, customerId: 7 } },
      { input: { ...W2, customerId: null } },
      { input: { ...W2, serviceType: 12 } },
      { input: { ...W2, serviceType: 1.5 } },
      { input: { ...W2, serviceType: '' } },
      { input: { ...W2, serviceType: true } },
      { input: { ...W2, timestamp: '2026-01-31T09:30:00Z' } },
      { input: { ...W2, timestamp: '2026-02-30T09:30:00Z' } },
      { input: { ...W2, timestamp: 1_700_000_000 } },
      { input: { ...W2, extensions: [] } },
      { input: { ...W2, extensions: 'x' } },
      { input: { ...W2, extensions: { coupon: [] } } },
      { input: { ...W2, extensions: { coupon: [{ coupon_name: 'B' }] } } },
    ],
  ],
  [
    'mutation($input: TransitionStateInput!) { __typename }',
    [
      { input: TRANSITION },
      { input: { ...TRANSITION, completeOpenTasks: true } },
      { input: { ...TRANSITION, completeOpenTasks: 'yes' } },
      { input: { ...TRANSITION, serviceId: 12 } },
      { input: { ...TRANSITION, serviceId: 1.5 } },
      { input: { serviceId: '12', to: { stateType: 'x' } } },
      { input: { ...TRANSITION, from: { disposition: 'done' } } },
      { input: { ...TRANSITION, from: [] } },
      { input: { ...TRANSITION, to: {} } },
      { input: { ...TRANSITION, to: { stateType: 'x', extra: 1 } } },
    ],
  ],
  [
    'mutation($input: CreateExtensionSchemaInput!) { __typename }',
    [
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: false, attributes: [ATTRIBUTE] } },
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: false, attributes: ATTRIBUTE } },
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: true, unique: 'code', attributes: [ATTRIBUTE] } },
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: true, unique: ['code', null], attributes: [ATTRIBUTE] } },
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: false, attributes: [] } },
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: false, attributes: [{ ...ATTRIBUTE, default: { any: ['json'] } }] } },
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: false, attributes: [{ ...ATTRIBUTE, type: 'TEXT' }] } },
      { input: { owner: 'service', name: 'coupon', multiValued: false, attributes: [ATTRIBUTE] } },
      { input: { owner: 1, name: 'coupon', multiValued: false, attributes: [ATTRIBUTE] } },
      { input: { owner: 'SERVICE', name: 'coupon', multiValued: 'no', attributes: [ATTRIBUTE] } },
    ],
  ],
  [
    'query($id: ID!, $first: Int = 10, $status: [Status!], $c: String) { __typename }',
    [
      { id: '5' },
      { id: 5 },
      { id: 5.5 },
      { id: true },
      { id: '5', first: null },
      { id: '5', first: 3 },
      { id: '5', status: 'ACTIVE' },
      { id: '5', status: ['ACTIVE', 'COMPLETED'] },
      { id: '5', status: ['ACTIVE', null] },
      { id: '5', status: ['active'] },
      { id: '5', c: ['x'] },
      { id: '5', c: { x: 1 } },
    ],
  ],
  [
    'query($first: Int! = 2, $yes: Boolean! = true, $status: Status! = ACTIVE, $from: DateTime! = "2026-01-01T00:00:00Z") { __typename }',
    [
      {},
      { first: 3 },
      { first: null },
      { yes: false },
      { yes: null },
      { status: 'COMPLETED' },
      { from: '2026-02-01T00:00:00+01:00' },
      { from: null },
    ],
  ],
];

describe('generated variable coercion', () => {
  for (const [document, variableSets] of cases) {
    const defs = definitions(document);
    const coerce = variableCoercer(schema, defs);
    it.each(variableSets.map((variables) => [JSON.stringify(variables), variables]))(
      `${document.split(')')[0]}) with %s`,
      (_, variables) => {
        const expected = getVariableValues(schema, defs, variables);
        const coerced = coerce(variables);
        if (expected.errors) expect(coerced).toBeUndefined();
        // An explicit null for a non-null variable with a default is left to graphql-js too.
        else if (Object.values(variables).includes(null) && document.includes('! =')) expect(coerced).toBeUndefined();
        // An empty array anywhere is left to graphql-js even when valid: see holdsEmptyArray.
        else if (JSON.stringify(variables).includes('[]')) expect(coerced).toBeUndefined();
        else expect(coerced).toEqual(expected.coerced);
      },
    );
  }

  it('vouches for the variables of the hot writes and the agent-desktop read', () => {
    expect(variableCoercer(schema, definitions(cases[0][0]))({ input: W2 })).toEqual({ input: W2 });
    expect(variableCoercer(schema, definitions(cases[1][0]))({ input: TRANSITION })).toEqual({
      input: { ...TRANSITION, completeOpenTasks: false },
    });
    expect(variableCoercer(schema, definitions('query($c: String!) { __typename }'))({ c: 'C1' })).toEqual({ c: 'C1' });
  });
});
