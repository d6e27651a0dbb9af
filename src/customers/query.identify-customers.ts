// identifyCustomers: finds customers by the values of an identification key, through the
// customer_identity index, and loads them with the client's selection in one statement. Its
// input is bounded (MAX_IDENTIFY_COMBINATIONS) and counted by the cost limit.
import { CustomerNode, type CustomerRow } from '../context-tree/nodes.js';
import { builder } from '../graphql/builder.js';
import { pageSize } from '../graphql/page-size.js';
import { matchesKeySql } from '../identification/customer-identity.js';
import { chooseKey, identifyCombinations, identifyDocument, listIdentificationKeys } from '../identification/identification-key.rules.js';
import { loadRows } from '../tree/load.js';

builder.queryField('identifyCustomers', (t) =>
  t.field({
    type: [CustomerNode.ref],
    description:
      'Customers whose values for an identification key match the attributes given (a multi-valued attribute matches on any ' +
      'element; strings ignore case and surrounding spaces). Without `key`, the first key in creation order whose attributes ' +
      'are all given is used. Ordered by customerId.',
    // Each value combination is one probe of the index, on top of the customers it may return.
    complexity: ({ attributes, first }) => ({ field: identifyCombinations(attributes ?? {}), multiplier: pageSize({ first }) }),
    args: {
      attributes: t.arg({ type: 'JSONObject', required: true, description: '{ attributeName: value | [values] }' }),
      key: t.arg.string({ description: 'Name of the identification key to use.' }),
      first: t.arg.int({ description: 'At most this many customers: default 50, at most 500.' }),
    },
    resolve: async (_root, { attributes, key: keyName, first }, ctx, info) => {
      const key = chooseKey(await listIdentificationKeys(ctx.db.pool), attributes, keyName);
      const doc = identifyDocument(key, attributes);
      const limit = pageSize({ first });
      const rows = await loadRows<CustomerRow>(ctx, info, CustomerNode, (alias, sql) => matchesKeySql(alias, key, doc, sql, limit));
      return rows.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
    },
  }),
);
