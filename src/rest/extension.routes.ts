// Operations 4, 17-27, 43 and 44 of the inventory: an owner's extension data replaced, merged,
// or one record of a multi-valued extension updated or deleted by its unique attributes. Each
// runs the GraphQL mutation of the same name on the owner the path names.
import { z } from 'zod';
import { done, type Route, route } from './route.js';

type Owner = 'SERVICE' | 'STATE' | 'TASK' | 'CUSTOMER';

interface OwnerPath {
  owner: Owner;
  path: string;
  /** The path parameter holding the owner's id. */
  idParam: string;
  label: string;
}

const SERVICE_OWNER: OwnerPath = { owner: 'SERVICE', path: '/services/{service_id}', idParam: 'service_id', label: 'service' };
const STATE_OWNER: OwnerPath = { owner: 'STATE', path: '/services/{service_id}/states/{state_id}', idParam: 'state_id', label: 'state' };
const TASK_OWNER: OwnerPath = { owner: 'TASK', path: '/services/{service_id}/tasks/{task_id}', idParam: 'task_id', label: 'task' };
const CUSTOMER_OWNER: OwnerPath = { owner: 'CUSTOMER', path: '/profiles/{customer_id}', idParam: 'customer_id', label: 'customer profile' };

const record = z.record(z.string(), z.unknown());

interface DataOperation {
  mutation: 'updateExtension' | 'mergeExtension' | 'updateExtensionRecord' | 'deleteExtensionRecord';
  /** The path after `/extensions/{ext_name}`. */
  suffix: string;
  /** The input field the body becomes. */
  bodyField: 'value' | 'record' | 'key';
  body: z.ZodType;
  status: 200 | 204;
  summary: (label: string) => string;
}

const OPERATIONS: Record<'update' | 'record' | 'deleteRecord' | 'merge', DataOperation> = {
  update: {
    mutation: 'updateExtension',
    suffix: '',
    bodyField: 'value',
    body: z.unknown().meta({ description: 'The whole value: an object (single-valued) or an array of records (multi-valued).' }),
    status: 200,
    summary: (label) => `Replaces one extension of a ${label}.`,
  },
  record: {
    mutation: 'updateExtensionRecord',
    suffix: '/by/unique',
    bodyField: 'record',
    body: record.meta({ description: 'One record; its unique attributes select the record to replace.' }),
    status: 204,
    summary: (label) => `Replaces the record of a multi-valued extension of a ${label} whose unique attributes match.`,
  },
  deleteRecord: {
    mutation: 'deleteExtensionRecord',
    suffix: '/delete/by/unique',
    bodyField: 'key',
    body: record.meta({ description: 'The unique attributes of the record to delete.' }),
    status: 204,
    summary: (label) => `Deletes the record of a multi-valued extension of a ${label} whose unique attributes are these.`,
  },
  merge: {
    mutation: 'mergeExtension',
    suffix: '/merge',
    bodyField: 'value',
    body: record.meta({ description: 'Attributes to add or overwrite (null removes one); the extension is created when absent.' }),
    status: 200,
    summary: (label) => `Merges attributes into a single-valued extension of a ${label}.`,
  },
};

/** GraphQL input paths of these mutations as the request names them. */
function restPath(field: string): string | undefined {
  if (field === 'input.name') return 'ext_name';
  const inBody = /^input\.(value|record|key)(\.(.*))?$/.exec(field);
  return inBody ? (inBody[3] ?? '') : undefined;
}

function dataRoute(operation: DataOperation, at: OwnerPath, reference: string): Route {
  const typeName = operation.mutation.charAt(0).toUpperCase() + operation.mutation.slice(1);
  const document = `mutation Rest${typeName}($input: ${typeName}Input!) { ${operation.mutation}(input: $input) { __typename } }`;
  return route({
    method: 'PUT',
    path: `${at.path}/extensions/{ext_name}${operation.suffix}`,
    reference,
    summary: operation.summary(at.label),
    graphql: `${operation.mutation}(input: { owner: ${at.owner}, ... })`,
    body: operation.body,
    operation: ({ params, body }) => ({
      document,
      variables: {
        input: {
          owner: at.owner,
          ownerId: params[at.idParam],
          name: params.ext_name,
          ...(at.owner === 'STATE' || at.owner === 'TASK' ? { serviceId: params.service_id } : {}),
          [operation.bodyField]: body,
        },
      },
    }),
    reply: () => done(operation.status),
    success: { status: operation.status, description: 'Done; no body.' },
    fields: restPath,
  });
}

export const EXTENSION_ROUTES = [
  dataRoute(OPERATIONS.update, SERVICE_OWNER, '4 Update Service Extension (CV.WS.SRV.4)'),
  dataRoute(OPERATIONS.update, STATE_OWNER, '17 Update State Extension (CV.WS.SRV.17)'),
  dataRoute(OPERATIONS.update, TASK_OWNER, '18 Update Task Extension (CV.WS.SRV.18)'),
  dataRoute(OPERATIONS.record, SERVICE_OWNER, '19 Update Record In Service Extension (CV.WS.SRV.19)'),
  dataRoute(OPERATIONS.record, STATE_OWNER, '20 Update Record In State Extension (CV.WS.SRV.20)'),
  dataRoute(OPERATIONS.record, TASK_OWNER, '21 Update Record In Task Extension (CV.WS.SRV.21)'),
  dataRoute(OPERATIONS.deleteRecord, SERVICE_OWNER, '22 Delete Record From Service Extension (CV.WS.SRV.22)'),
  dataRoute(OPERATIONS.deleteRecord, STATE_OWNER, '23 Delete Record From State Extension (CV.WS.SRV.23)'),
  dataRoute(OPERATIONS.deleteRecord, TASK_OWNER, '24 Delete Record From Task Extension (CV.WS.SRV.24)'),
  dataRoute(OPERATIONS.merge, SERVICE_OWNER, '25 Merge Service Extension'),
  dataRoute(OPERATIONS.merge, STATE_OWNER, '26 Merge State Extension'),
  dataRoute(OPERATIONS.merge, TASK_OWNER, '27 Merge Task Extension'),
];

export const PROFILE_RECORD_ROUTES = [
  dataRoute(OPERATIONS.record, CUSTOMER_OWNER, '43 Update Record In Profile Extension (CV.WS.PROF.6)'),
  dataRoute(OPERATIONS.deleteRecord, CUSTOMER_OWNER, '44 Delete Record From Profile Extension (CV.WS.PROF.7)'),
];
