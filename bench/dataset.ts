// The benchmark's dataset, generated from a seed and loaded with COPY straight into the tables of
// prisma/schema.prisma. Secondary indexes and foreign keys are dropped for the load and rebuilt
// afterwards (as pg_restore does), which is several times faster than inserting into an indexed
// table; the rebuilt definitions are checked to be exactly the migrated ones.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { createRandom, type Random } from './prng.js';

export interface Scale {
  customers: number;
  services: number;
  /** Customers with `servicesPerBusy` active services each (W1-wide). */
  busyCustomers: number;
  servicesPerBusy: number;
}

export const FULL_SCALE: Scale = { customers: 20_000, services: 100_000, busyCustomers: 200, servicesPerBusy: 50 };
export const QUICK_SCALE: Scale = { customers: 1_000, services: 5_000, busyCustomers: 10, servicesPerBusy: 50 };

const ACTIVE_SHARE = 0.3;
const ANONYMOUS_SHARE = 0.1;
const STATES_PER_SERVICE = 3;
const TASKS_PER_STATE = 2;
const BASE_TIME = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

export interface ActiveState {
  serviceId: string;
  stateId: string;
}

/** What the workloads draw their requests from. */
export interface Dataset {
  scale: Scale;
  rows: Record<'customer' | 'service' | 'state' | 'task', number>;
  loadMs: number;
  /** Customers other than the busy ones (W2 starts services for them). */
  customers: string[];
  /** Customers other than the busy ones with at least one active service (W1). */
  customersWithActiveServices: string[];
  busyCustomers: string[];
  /** The active state of every active service, oldest service first (W3). */
  activeStates: ActiveState[];
}

const customerId = (index: number) => `C${String(index + 1).padStart(6, '0')}`;

/** Who owns each service and whether it is active; service ids are index + 1. */
interface ServicePlan {
  /** Customer index, or -1 for an anonymous service. */
  owner: Int32Array;
  active: Uint8Array;
}

function planServices(scale: Scale, random: Random): ServicePlan {
  const { services, customers, busyCustomers, servicesPerBusy } = scale;
  const busyServices = busyCustomers * servicesPerBusy;
  const rest = services - busyServices;
  if (rest <= 0 || customers <= busyCustomers) throw new Error('scale: too few services or customers for the busy ones');
  const owner = new Int32Array(services);
  const active = new Uint8Array(services);
  const anonymousChance = (ANONYMOUS_SHARE * services) / rest;
  const activeChance = Math.max(0, ACTIVE_SHARE * services - busyServices) / rest;
  for (let i = 0; i < services; i++) {
    if (i < busyServices) {
      owner[i] = i % busyCustomers;
      active[i] = 1;
      continue;
    }
    owner[i] = random.next() < anonymousChance ? -1 : busyCustomers + random.int(customers - busyCustomers);
    active[i] = random.next() < activeChance ? 1 : 0;
  }
  return { owner, active };
}

// COPY text format: tab-separated, \N for NULL, backslash escapes.
const NULL = '\\N';
const text = (value: string | number | null) =>
  value === null ? NULL : String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
const json = (value: unknown) => (value === null ? NULL : text(JSON.stringify(value)));
const line = (fields: string[]) => `${fields.join('\t')}\n`;
const iso = (ms: number) => new Date(ms).toISOString();

const SERVICE_TYPES = [
  [2001, 'hotel-booking'],
  [2002, 'flight-booking'],
  [2003, 'car-rental'],
  [2004, 'insurance'],
] as const;
const STATE_TYPES = [
  [3001, 'collect-criteria'],
  [3002, 'propose-offers'],
  [3003, 'confirm-booking'],
] as const;
const TASK_TYPES = [
  [4001, 'search'],
  [4002, 'call-back'],
] as const;
const DONE = { id: null, name: 'done' };
const VOICE = { id: 1001, name: 'voice' };
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function* customerRows(scale: Scale, random: Random): Generator<string> {
  const tiers = ['bronze', 'silver', 'gold', 'platinum'];
  for (let i = 0; i < scale.customers; i++) {
    const attributes = { FirstName: `First${i + 1}`, LastName: `Last${i + 1}`, EmailAddress: [`customer${i + 1}@example.com`] };
    const extensions = {
      loyalty: { tier: random.pick(tiers), points: random.int(50_000), since: `20${pad(10 + random.int(15), 2)}-0${1 + random.int(9)}-15` },
      preferences: {
        language: random.pick(['fr', 'en', 'de']),
        channel: random.pick(['email', 'sms', 'voice']),
        newsletter: random.next() < 0.5,
        note: 'prefers quiet rooms and a late check-in',
      },
    };
    yield line([text(customerId(i)), json(attributes), json(extensions)]);
  }
}

function* serviceRows(plan: ServicePlan, random: Random): Generator<string> {
  for (let i = 0; i < plan.owner.length; i++) {
    const id = i + 1;
    const startedAt = BASE_TIME + i * MINUTE;
    const anonymous = plan.owner[i] < 0;
    const [typeId, typeName] = SERVICE_TYPES[i % SERVICE_TYPES.length];
    const extensions = {
      satisfaction: { score: random.int(101), agentID: 1000 + random.int(9000) },
      coupon: { coupon_name: `SPRING-${pad(random.int(100_000), 5)}`, discount: 5 * random.int(7), channel: 'web' },
      routing: { queue: 'hotels-fr', priority: 1 + random.int(5), skill: 'premium-booking' },
    };
    const completed = !plan.active[i];
    yield line([
      text(id),
      anonymous ? NULL : text(customerId(plan.owner[i])),
      anonymous ? text(`+3361${pad(id, 7)}`) : NULL,
      text(typeId),
      text(typeName),
      text(3600),
      text(iso(startedAt)),
      json({ sessionId: `S${id}`, interactionId: `I${id}`, mediaType: VOICE }),
      completed ? text(iso(startedAt + 2 * 60 * MINUTE)) : NULL,
      completed ? json({ interactionId: `I${id}` }) : NULL,
      completed ? json(DONE) : NULL,
      NULL,
      json(extensions),
    ]);
  }
}

/** State k of service i: the last one stays open while its service is active. */
const stateIsActive = (plan: ServicePlan, service: number, k: number) => plan.active[service] === 1 && k === STATES_PER_SERVICE - 1;
const stateStart = (service: number, k: number) => BASE_TIME + service * MINUTE + k * 10 * MINUTE;

function* stateRows(plan: ServicePlan, random: Random): Generator<string> {
  for (let i = 0; i < plan.owner.length; i++) {
    for (let k = 0; k < STATES_PER_SERVICE; k++) {
      const id = i * STATES_PER_SERVICE + k + 1;
      const startedAt = stateStart(i, k);
      const completed = !stateIsActive(plan, i, k);
      const [typeId, typeName] = STATE_TYPES[k % STATE_TYPES.length];
      const extensions = {
        feedback: { rating: 1 + random.int(5), comment: 'customer hesitates between the two offers, call back', channel: 'voice' },
        sponsoring: { sponsor: `ACME-${pad(random.int(10_000), 4)}`, campaign: 'spring-2025', budget: random.int(500_000) / 100 },
      };
      yield line([
        text(id),
        text(i + 1),
        text(typeId),
        text(typeName),
        k === 0 ? NULL : text(id - 1),
        text(600),
        text(iso(startedAt)),
        json({ interactionId: `I${i + 1}`, mediaType: VOICE }),
        completed ? text(iso(startedAt + 10 * MINUTE)) : NULL,
        completed ? json({ interactionId: `I${i + 1}` }) : NULL,
        completed ? json(DONE) : NULL,
        NULL,
        json(extensions),
      ]);
    }
  }
}

function* taskRows(plan: ServicePlan, random: Random): Generator<string> {
  for (let i = 0; i < plan.owner.length; i++) {
    for (let k = 0; k < STATES_PER_SERVICE; k++) {
      const stateId = i * STATES_PER_SERVICE + k + 1;
      const completed = !stateIsActive(plan, i, k);
      for (let j = 0; j < TASKS_PER_STATE; j++) {
        const id = (stateId - 1) * TASKS_PER_STATE + j + 1;
        const startedAt = stateStart(i, k) + j * 2 * MINUTE;
        const [typeId, typeName] = TASK_TYPES[j % TASK_TYPES.length];
        const extensions = {
          checklist: { step: typeName, done: completed, operator: `agent-${1000 + random.int(9000)}` },
          note: { text: 'call back before noon, the customer prefers an email confirmation', priority: 1 + random.int(3), lang: 'fr' },
        };
        yield line([
          text(id),
          text(i + 1),
          text(stateId),
          text(typeId),
          text(typeName),
          text(120),
          text(iso(startedAt)),
          json({ interactionId: `I${i + 1}` }),
          completed ? text(iso(startedAt + 5 * MINUTE)) : NULL,
          completed ? json({}) : NULL,
          completed ? json(DONE) : NULL,
          NULL,
          json(extensions),
        ]);
      }
    }
  }
}

const LIFECYCLE_COLUMNS = [
  'est_duration',
  'started_at',
  'started',
  'completed_at',
  'completed',
  'disposition',
  'disposition_desc',
  'extensions',
];

interface Output {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** One progress line: redrawn in place on a terminal, a line per table otherwise. */
class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly startedAt = performance.now();
  constructor(
    private readonly total: number,
    private readonly out: Output,
  ) {}

  add(rows: number, label: string): void {
    this.done += rows;
    const now = performance.now();
    if (this.out.isTTY && now - this.lastDraw > 100) {
      this.lastDraw = now;
      this.out.write(`\r${this.render(label)}`);
    }
  }

  finishTable(label: string): void {
    this.out.write(this.out.isTTY ? `\r${this.render(label)}` : `${this.render(label)}\n`);
  }

  close(): void {
    if (this.out.isTTY) this.out.write('\n');
  }

  private render(label: string): string {
    const share = this.done / this.total;
    const width = 30;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = Math.round(this.done / Math.max(seconds, 0.001));
    return `  loading [${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${this.done.toLocaleString('en')}/${this.total.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s (${label})   `;
  }
}

async function copyInto(client: pg.Client, table: string, columns: string[], rows: Iterable<string>, progress: Progress): Promise<void> {
  const BATCH = 2_000;
  function* batches(): Generator<string> {
    let batch: string[] = [];
    for (const row of rows) {
      batch.push(row);
      if (batch.length === BATCH) {
        progress.add(batch.length, table);
        yield batch.join('');
        batch = [];
      }
    }
    progress.add(batch.length, table);
    if (batch.length) yield batch.join('');
  }
  await pipeline(Readable.from(batches()), client.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  progress.finishTable(table);
}

interface Definitions {
  indexes: { name: string; def: string }[];
  foreignKeys: { table: string; name: string; def: string }[];
}

async function readDefinitions(client: pg.Client, tables: string[]): Promise<Definitions> {
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid = ANY($1::regclass[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`,
    [tables],
  );
  const foreignKeys = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) ORDER BY 1, 2`,
    [tables],
  );
  return { indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface LoadOptions {
  seed?: string;
  /** Where the progress goes; null for none. */
  output?: Output | null;
}

/** Generates the dataset of `scale` from a seed and loads it into the migrated database at `url`. */
export async function loadDataset(url: string, scale: Scale, options: LoadOptions = {}): Promise<Dataset> {
  const seed = options.seed ?? 'context-gateway-bench';
  const output = options.output === undefined ? process.stderr : (options.output ?? { write: () => true });
  const startedAt = performance.now();
  const plan = planServices(scale, createRandom(`${seed}:plan`));
  const rows = {
    customer: scale.customers,
    service: scale.services,
    state: scale.services * STATES_PER_SERVICE,
    task: scale.services * STATES_PER_SERVICE * TASKS_PER_STATE,
  };
  const tables = ['customer', 'service', 'state', 'task'];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const before = await readDefinitions(client, tables);
    for (const fk of before.foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
    for (const index of before.indexes) await client.query(`DROP INDEX ${index.name}`);

    const progress = new Progress(
      Object.values(rows).reduce((a, b) => a + b, 0),
      output,
    );
    await copyInto(
      client,
      'customer',
      ['customer_id', 'attributes', 'extensions'],
      customerRows(scale, createRandom(`${seed}:customer`)),
      progress,
    );
    await copyInto(
      client,
      'service',
      ['service_id', 'customer_id', 'contact_key', 'service_type_id', 'service_type_name', ...LIFECYCLE_COLUMNS],
      serviceRows(plan, createRandom(`${seed}:service`)),
      progress,
    );
    await copyInto(
      client,
      'state',
      ['state_id', 'service_id', 'state_type_id', 'state_type_name', 'previous_state_id', ...LIFECYCLE_COLUMNS],
      stateRows(plan, createRandom(`${seed}:state`)),
      progress,
    );
    await copyInto(
      client,
      'task',
      ['task_id', 'service_id', 'state_id', 'task_type_id', 'task_type_name', ...LIFECYCLE_COLUMNS],
      taskRows(plan, createRandom(`${seed}:task`)),
      progress,
    );
    progress.close();

    output.write('  rebuilding indexes and foreign keys, analysing\n');
    for (const index of before.indexes) await client.query(index.def);
    for (const fk of before.foreignKeys) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.def}`);
    const after = await readDefinitions(client, tables);
    if (JSON.stringify(after) !== JSON.stringify(before))
      throw new Error('dataset: rebuilt indexes or foreign keys differ from the migrated ones');
    // Ids were given explicitly; the gateway's inserts continue after them.
    for (const [table, column] of [
      ['service', 'service_id'],
      ['state', 'state_id'],
      ['task', 'task_id'],
    ]) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', '${column}'), (SELECT max(${column}) FROM ${table}))`);
    }
    await client.query(`VACUUM ANALYZE ${tables.join(', ')}`);
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
  return { scale, rows, loadMs: Math.round(performance.now() - startedAt), ...describe(plan, scale) };
}

function describe(
  plan: ServicePlan,
  scale: Scale,
): Pick<Dataset, 'customers' | 'customersWithActiveServices' | 'busyCustomers' | 'activeStates'> {
  const withActive = new Set<number>();
  const activeStates: ActiveState[] = [];
  for (let i = 0; i < plan.owner.length; i++) {
    if (!plan.active[i]) continue;
    if (plan.owner[i] >= scale.busyCustomers) withActive.add(plan.owner[i]);
    activeStates.push({ serviceId: String(i + 1), stateId: String(i * STATES_PER_SERVICE + STATES_PER_SERVICE) });
  }
  const customers: string[] = [];
  for (let c = scale.busyCustomers; c < scale.customers; c++) customers.push(customerId(c));
  return {
    customers,
    customersWithActiveServices: [...withActive].sort((a, b) => a - b).map(customerId),
    busyCustomers: Array.from({ length: scale.busyCustomers }, (_, c) => customerId(c)),
    activeStates,
  };
}
