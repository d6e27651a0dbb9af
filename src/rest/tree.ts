// The reference's reads of services, states and tasks with their nested lists and extensions,
// as ONE GraphQL selection (which the SQL-JSON fast path answers with one statement) and the
// reply built from its data. A node's shape comes from the query flags: `active_states`,
// `completed_tasks`..., and `extensions=name,State.name,Task.*,*`.
import { z } from 'zod';
import { type ReplyContext, RestError } from './route.js';
import { OWNING_SERVICE, SERVICE_FIELDS, STATE_FIELDS, selection, TASK_FIELDS, timestamp, type WireField, wireObject } from './wire.js';

export type Level = 'Service' | 'State' | 'Task';

/** Which extensions a level shows: none (undefined), all, or these names (lower case). */
type Pick = Set<string> | 'all' | undefined;

export interface TreeNode {
  fields: readonly WireField[];
  extensions: Pick;
  children: TreeChild[];
}

interface TreeChild {
  /** The reply's key, also the GraphQL alias: `active_states`... */
  key: string;
  field: 'states' | 'tasks';
  status: 'ACTIVE' | 'COMPLETED';
  node: TreeNode;
}

const FIELDS: Record<Level, readonly WireField[]> = { Service: SERVICE_FIELDS, State: STATE_FIELDS, Task: TASK_FIELDS };

/** What only a completed item has: never selected for items known to be active. */
const COMPLETION = new Set(['duration', 'disposition', 'disposition_desc', 'completed']);

const fieldsOf = (level: Level, active: boolean) => (active ? FIELDS[level].filter(([wire]) => !COMPLETION.has(wire)) : FIELDS[level]);

// ---- query parameters ----

const flag = z
  .string()
  .regex(/^(true|false)$/i, 'must be true or false')
  .transform((value) => value.toLowerCase() === 'true');

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

export const FLAGS = {
  active_states: flag.optional().meta({ description: 'Include the active states (default false).' }),
  completed_states: flag.optional().meta({ description: 'Include the completed states (default false).' }),
  active_tasks: flag.optional().meta({ description: 'Include the active tasks (default false).' }),
  completed_tasks: flag.optional().meta({ description: 'Include the completed tasks (default false).' }),
};

export const READ_PARAMETERS = {
  extensions: list.optional().meta({
    description:
      'Extensions to include, case-insensitive: names of the entity queried, `State.name` / `Task.name` for nested ones, `State.*` / `Task.*`, or `*` for all.',
  }),
  map_names: flag.optional().meta({ description: 'Business attribute values as names instead of ids (default false).' }),
};

/** Business types, ids or names, comma-separated; a string of digits is an id. */
export const typesOf = list.transform((items) => items.map((item) => (/^\d+$/.test(item) ? Number(item) : item)));

/** Filters of the lists of services. */
export const SERVICE_FILTERS = {
  service_types: typesOf.optional().meta({ description: 'Service types, ids or names, comma-separated.' }),
  started_from: timestamp.optional().meta({ description: 'Services started at or after this time.' }),
  started_to: timestamp.optional().meta({ description: 'Services started before this time.' }),
};

export const PAGE = {
  limit: z.string().regex(/^\d+$/, 'must be an integer').transform(Number).optional().meta({
    description:
      'Page size: default 50, at most 500 (not in the reference, which has no paging). With `limit` or `after`, a `Link: rel="next"` header names the next page when there is one.',
  }),
  after: z.string().optional().meta({ description: 'The cursor of the `Link: rel="next"` header of the previous page.' }),
};

export interface ReadQuery {
  active_states?: boolean;
  completed_states?: boolean;
  active_tasks?: boolean;
  completed_tasks?: boolean;
  extensions?: string[];
  map_names?: boolean;
}

/** The extensions each level shows, from `extensions=`; plain names belong to `top`. */
function picks(names: string[] | undefined, top: Level): Record<Level, Pick> {
  const out: Record<Level, Pick> = { Service: undefined, State: undefined, Task: undefined };
  const add = (level: Level, name: string) => {
    const current = out[level];
    if (current === 'all') return;
    if (name === '*') out[level] = 'all';
    else if (current) current.add(name.toLowerCase());
    else out[level] = new Set([name.toLowerCase()]);
  };
  for (const entry of names ?? []) {
    if (entry === '*') {
      for (const level of Object.keys(out) as Level[]) out[level] = 'all';
      continue;
    }
    const dot = entry.indexOf('.');
    const prefix = dot < 0 ? entry : entry.slice(0, dot);
    const level = (['Service', 'State', 'Task'] as const).find((l) => l.toLowerCase() === prefix.toLowerCase());
    if (level && dot < 0) add(level, '*');
    else if (level) add(level, entry.slice(dot + 1));
    else add(top, entry);
  }
  return out;
}

function children(
  field: 'states' | 'tasks',
  active: boolean | undefined,
  completed: boolean | undefined,
  node: (active: boolean) => TreeNode,
): TreeChild[] {
  return [
    ...(active ? [{ key: `active_${field}`, field, status: 'ACTIVE' as const, node: node(true) }] : []),
    ...(completed ? [{ key: `completed_${field}`, field, status: 'COMPLETED' as const, node: node(false) }] : []),
  ];
}

/**
 * The tree a read answers: `top` at the root (with service_id when it is a state or task), and
 * the nested lists its flags ask for: a service's states and tasks, a state's tasks. Items known
 * to be active (`activeTop`, the active lists) are read without their completion fields.
 */
export function readTree(top: Level, query: ReadQuery, activeTop = false): TreeNode {
  const pick = picks(query.extensions, top);
  const leaf = (level: Level) => (active: boolean) => ({ fields: fieldsOf(level, active), extensions: pick[level], children: [] });
  const fields = top === 'Service' ? fieldsOf(top, activeTop) : [OWNING_SERVICE, ...fieldsOf(top, activeTop)];
  const nested: TreeChild[] =
    top === 'Service'
      ? [
          ...children('states', query.active_states, query.completed_states, leaf('State')),
          ...children('tasks', query.active_tasks, query.completed_tasks, leaf('Task')),
        ]
      : top === 'State'
        ? children('tasks', query.active_tasks, query.completed_tasks, leaf('Task'))
        : [];
  return { fields, extensions: pick[top], children: nested };
}

/** A key naming the tree's shape, for the documents kept per shape. */
export function treeKey(node: TreeNode): string {
  const ext = node.extensions === undefined ? '' : node.extensions === 'all' ? '*' : 'x';
  return `${node.fields.length}${ext}(${node.children.map((c) => `${c.key}${treeKey(c.node)}`).join(',')})`;
}

/** The GraphQL selection of a tree node. */
export function treeSelection(node: TreeNode): string {
  const nested = node.children.map((c) => `${c.key}: ${c.field}(status: ${c.status}) { nodes { ${treeSelection(c.node)} } }`);
  return [selection(node.fields), ...(node.extensions ? ['extensions'] : []), ...nested].join(' ');
}

type Row = Record<string, unknown>;

/** The reply object of a row read with `treeSelection(node)`. */
export function treeReply(row: Row, node: TreeNode, mapNames: boolean): Row {
  const out = wireObject(row, node.fields, mapNames);
  for (const child of node.children) {
    out[child.key] = ((row[child.key] as { nodes: Row[] }).nodes ?? []).map((r) => treeReply(r, child.node, mapNames));
  }
  // Extensions are extra top-level keys; a reference field of the same name wins.
  const wanted = node.extensions;
  if (wanted) {
    for (const [name, value] of Object.entries((row.extensions ?? {}) as Row)) {
      if (name in out) continue;
      if (wanted === 'all' || wanted.has(name.toLowerCase())) out[name] = value;
    }
  }
  return out;
}

interface Page {
  nodes: Row[];
  /** Asked only when the client pages. */
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
}

/** A list reply: its rows, and a `Link` to the next page when there is one. */
export function pageReply(page: Page, node: TreeNode, ctx: ReplyContext) {
  const body = page.nodes.map((row) => treeReply(row, node, ctx.mapNames));
  if (!page.pageInfo?.hasNextPage || !page.pageInfo.endCursor) return { status: 200, body };
  const next = new URL(ctx.url);
  next.searchParams.set('after', page.pageInfo.endCursor);
  return { status: 200, body, headers: { Link: `<${next.pathname}${next.search}>; rel="next"` } };
}

/** A GraphQL argument a request sets: `name: $variable`, declared as `type`. */
export type Argument = readonly [name: string, variable: string, type: string, value: unknown];

/** The arguments given (value not undefined), as GraphQL text, variable definitions and values. */
export function argumentsOf(given: readonly Argument[], fixed: string[] = []) {
  const set = given.filter(([, , , value]) => value !== undefined);
  return {
    text: [...fixed, ...set.map(([name, variable]) => `${name}: $${variable}`)].join(', '),
    definitions: set.map(([, variable, type]) => `$${variable}: ${type}`),
    variables: Object.fromEntries(set.map(([, variable, , value]) => [variable, value])),
    /** Which arguments are set: part of the document's shape. */
    key: set.map(([name]) => name).join(','),
  };
}

/** The page arguments of a list; a `limit` out of range is refused here, as the reference would. */
export function pageArguments(query: { limit?: number; after?: string }): Argument[] {
  if (query.limit !== undefined && (query.limit < 1 || query.limit > 500)) {
    throw new RestError(400, 'BAD_USER_INPUT', 'limit must be between 1 and 500', 'limit');
  }
  return [
    ['first', 'first', 'Int', query.limit],
    ['after', 'after', 'String', query.after],
  ];
}

const documents = new Map<string, string>();

/** The document of a shape, built once: the same text every time, so Yoga's caches hold it. */
export function documentFor(key: string, build: () => string): string {
  let document = documents.get(key);
  if (document === undefined) documents.set(key, (document = build()));
  return document;
}
