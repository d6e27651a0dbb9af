// The context tree: customers, their services, the services' states and tasks. Each node type is
// declared here once, every field with the SQL that builds it, its links and lists with it, and
// the root fields that fetch it; the tree compiler (src/tree) reads nothing else. The four refer
// to one another (a service's customer, a customer's services...), hence one file.
import type { FieldMap } from '@pothos/core';
import { column, connection, defineList, defineNode, link, lookup, nodeField, rootList } from '../tree/declare.js';
import { extensionField, lifecycleColumns } from './lifecycle-columns.js';

const SERVICE_TYPE: [string, string] = ['service_type_id', 'service_type_name'];
const STATE_TYPE: [string, string] = ['state_type_id', 'state_type_name'];
const TASK_TYPE: [string, string] = ['task_type_id', 'task_type_name'];

export const CustomerNode = defineNode({
  name: 'Customer',
  description: 'A customer, known by the id the contact centre gives it.',
  table: 'customer',
  idColumn: 'customer_id',
  idField: 'customerId',
  possibleId: (id) => id !== '',
  columns: {
    customerId: column('String', (a) => `${a}.customer_id`),
    attributes: column('JSONObject', (a) => `${a}.attributes`, {
      description: 'Core profile attributes; a multi-valued attribute is an array whose first element is primary.',
    }),
    extensions: column('JSONObject', (a) => `${a}.extensions`),
  },
  fields: (t): FieldMap => ({
    services: connection(t, ServiceList, {
      join: (s, c) => `${s}.customer_id = ${c}.customer_id`,
      description: "The customer's services (associated ones only), oldest first.",
    }),
  }),
});

export const ServiceNode = defineNode({
  name: 'Service',
  description: 'A commitment to a customer ("book a hotel"), spanning interactions and channels.',
  table: 'service',
  idColumn: 'service_id',
  idField: 'serviceId',
  typeColumns: SERVICE_TYPE,
  columns: {
    serviceId: column('ID', (a) => `${a}.service_id::text`),
    customerId: column('String', (a) => `${a}.customer_id`, { nullable: true }),
    contactKey: column('String', (a) => `${a}.contact_key`, { nullable: true }),
    anonymous: column('Boolean', (a) => `${a}.customer_id IS NULL`, { description: 'True while no customer is associated.' }),
    ...lifecycleColumns('serviceType', SERVICE_TYPE),
  },
  fields: (t): FieldMap => ({
    customer: link(t, CustomerNode, { foreignKey: 'customerId', join: (c, s) => `${c}.customer_id = ${s}.customer_id`, nullable: true }),
    states: connection(t, StateList, {
      join: (st, s) => `${st}.service_id = ${s}.service_id`,
      description: "The service's states, oldest first.",
    }),
    tasks: connection(t, TaskList, {
      join: (task, s) => `${task}.service_id = ${s}.service_id`,
      description: "All the service's tasks (in states or not), oldest first.",
    }),
    extension: extensionField(t),
  }),
});

export const ServiceList = defineList(ServiceNode, {
  typesArg: 'serviceTypes',
  what: 'service',
  args: (arg) => ({
    startedFrom: arg({ type: 'DateTime', description: 'Inclusive lower bound of the start time.' }),
    startedTo: arg({ type: 'DateTime', description: 'Exclusive upper bound of the start time.' }),
  }),
});

export const StateNode = defineNode({
  name: 'State',
  description: 'A phase of a service; several may be active at once.',
  table: 'state',
  idColumn: 'state_id',
  idField: 'stateId',
  typeColumns: STATE_TYPE,
  columns: {
    stateId: column('ID', (a) => `${a}.state_id::text`),
    serviceId: column('ID', (a) => `${a}.service_id::text`),
    previousStateId: column('ID', (a) => `${a}.previous_state_id::text`, {
      nullable: true,
      description: 'The state this one followed (set by transitionState or startState).',
    }),
    ...lifecycleColumns('stateType', STATE_TYPE),
  },
  fields: (t): FieldMap => ({
    service: link(t, ServiceNode, { foreignKey: 'serviceId', join: (s, st) => `${s}.service_id = ${st}.service_id`, nullable: false }),
    tasks: connection(t, TaskList, {
      join: (task, st) => `${task}.state_id = ${st}.state_id`,
      description: "The state's tasks, oldest first.",
    }),
    extension: extensionField(t),
  }),
});

export const StateList = defineList(StateNode, { typesArg: 'stateTypes', what: 'state' });

export const TaskNode = defineNode({
  name: 'Task',
  description: 'A step inside a state, or directly inside a service.',
  table: 'task',
  idColumn: 'task_id',
  idField: 'taskId',
  typeColumns: TASK_TYPE,
  columns: {
    taskId: column('ID', (a) => `${a}.task_id::text`),
    serviceId: column('ID', (a) => `${a}.service_id::text`),
    stateId: column('ID', (a) => `${a}.state_id::text`, { nullable: true }),
    ...lifecycleColumns('taskType', TASK_TYPE),
  },
  fields: (t): FieldMap => ({
    service: link(t, ServiceNode, { foreignKey: 'serviceId', join: (s, task) => `${s}.service_id = ${task}.service_id`, nullable: false }),
    state: link(t, StateNode, { foreignKey: 'stateId', join: (st, task) => `${st}.state_id = ${task}.state_id`, nullable: true }),
    extension: extensionField(t),
  }),
});

export const TaskList = defineList(TaskNode, { typesArg: 'taskTypes', what: 'task' });

export type CustomerRow = typeof CustomerNode.ref.$inferType;
export type ServiceRow = typeof ServiceNode.ref.$inferType;
export type StateRow = typeof StateNode.ref.$inferType;
export type TaskRow = typeof TaskNode.ref.$inferType;

lookup(CustomerNode, 'customer', 'customerId', 'String');
lookup(ServiceNode, 'service', 'serviceId', 'ID');
lookup(StateNode, 'state', 'stateId', 'ID');
lookup(TaskNode, 'task', 'taskId', 'ID');

rootList(ServiceList, 'anonymousServices', {
  scopeArg: 'contactKey',
  scope: (s, contactKey) => `${s}.contact_key = ${contactKey} AND ${s}.customer_id IS NULL`,
  description: 'Services with this contact key that no customer is associated with yet.',
});

nodeField();
