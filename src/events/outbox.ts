// The write side of live context: the SQL with which every rule that changes a service, state,
// task, extension or customer records its events in the outbox (context_event), inside the
// statement or transaction of the write itself, so an event exists if and only if its write
// committed. The rules put it in a CTE of a statement they run anyway: no extra round trip.

export const CONTEXT_EVENT_TYPES = [
  'SERVICE_STARTED',
  'SERVICE_ASSOCIATED',
  'SERVICE_COMPLETED',
  'STATE_STARTED',
  'STATE_COMPLETED',
  'TASK_STARTED',
  'TASK_COMPLETED',
  'EXTENSION_CHANGED',
  'CUSTOMER_CHANGED',
] as const;

export type ContextEventType = (typeof CONTEXT_EVENT_TYPES)[number];

/** One event: its type and, as SQL expressions over the rows it is made from, what routes it. Absent ones are NULL. */
export interface EventRow {
  type: ContextEventType;
  customerId?: string;
  contactKey?: string;
  serviceId?: string;
  stateId?: string;
  taskId?: string;
  extensionOwner?: string;
  extensionName?: string;
  previousCustomerId?: string;
}

const COLUMNS: [keyof Omit<EventRow, 'type'>, string, string][] = [
  ['customerId', 'customer_id', 'text'],
  ['contactKey', 'contact_key', 'text'],
  ['serviceId', 'service_id', 'bigint'],
  ['stateId', 'state_id', 'bigint'],
  ['taskId', 'task_id', 'bigint'],
  ['extensionOwner', 'extension_owner', '"ExtensionOwner"'],
  ['extensionName', 'extension_name', 'text'],
  ['previousCustomerId', 'previous_customer_id', 'text'],
];

const INSERT = `INSERT INTO context_event (type, ${COLUMNS.map(([, column]) => column).join(', ')})`;

function selectList(row: EventRow): string {
  const values = COLUMNS.map(([key, , type]) => `${row[key] ?? 'NULL'}::${type}`);
  return `'${row.type}'::"ContextEventType", ${values.join(', ')}`;
}

/**
 * The CTEs (`event`, then `event_1`...) of a statement that record each of `rows` once per row of
 * `from` (a FROM list, joins included). Several rows are recorded in the order given, each INSERT
 * waiting for the one before (its ids, which order the events of one transaction, follow): a
 * transition completes a state, then starts one. (Within one INSERT the order of rows is the
 * plan's to choose.)
 */
export function eventCtes(from: string, ...rows: EventRow[]): string {
  return rows
    .map((row, i) => {
      const name = i === 0 ? 'event' : `event_${i}`;
      const after = i === 0 ? '' : ` WHERE (SELECT count(*) FROM ${i === 1 ? 'event' : `event_${i - 1}`}) > 0`;
      const returning = i < rows.length - 1 ? ' RETURNING 1' : '';
      return `${name} AS (${INSERT} SELECT ${selectList(row)} FROM ${from}${after}${returning})`;
    })
    .join(',\n');
}

/** What routes an event about something of a service: the service's customer and contact key (`service` is its alias). */
export function serviceRouting(service: string): Pick<EventRow, 'customerId' | 'contactKey' | 'serviceId'> {
  return { customerId: `${service}.customer_id`, contactKey: `${service}.contact_key`, serviceId: `${service}.service_id` };
}
