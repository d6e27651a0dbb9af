// How a node type of the context tree is declared: once per field, giving both its GraphQL field
// (Pothos) and how PostgreSQL builds it (in the field's extensions, read by the compiler through
// node.ts). A column's row type follows from its GraphQL type, so rows are typed, not cast.
import type { ArgBuilder, FieldMap, InputFieldMap, ObjectRef, ShapeFromTypeParam, TypeParam } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { isBigintId } from '../db/ids.js';
import { builder, type Types } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import type { ConnectionArgs } from './connection-args.js';
import { globalIdSql } from './json-sql.js';
import { type Connection, loadById, loadConnection, loadNode, resolveLinkedObject, resolveNestedConnection } from './load.js';
import type { FieldSql, Join, TreeField, TreeList, TreeLookup, TreeNode, TreeRootList } from './node.js';
import { StatusEnum } from './status.js';

/** A field whose value PostgreSQL builds, of GraphQL type `type`; `Shape` is its value in a row. */
export interface Column<Shape> {
  type: TypeParam<Types>;
  nullable: boolean;
  description?: string;
  sql: FieldSql;
  /** Only carries the row type of the value. */
  readonly shape?: Shape;
}

export function column<const Type extends TypeParam<Types>, Nullable extends boolean = false>(
  type: Type,
  sql: FieldSql,
  options: { nullable?: Nullable; description?: string } = {},
): Column<ShapeFromTypeParam<Types, Type, Nullable>> {
  return { type, nullable: options.nullable ?? false, description: options.description, sql };
}

type Columns = Record<string, Column<unknown>>;

/** A row of a node type: each column's value under its field name (the Relay `id` included). */
export type RowOf<C extends Columns> = { [K in keyof C]: C[K] extends Column<infer Shape> ? Shape : never } & { id: string };

/** A declared node type: what the compiler reads, and the GraphQL type it is. */
export interface DeclaredNode<Row> extends TreeNode {
  ref: ObjectRef<Types, Row>;
}

type FieldsOf<Row> = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>) => FieldMap;

/**
 * A node type of the tree: a GraphQL object implementing Node (its Relay `id` built in SQL from
 * `idField`), its columns, and `fields` for the others (links, connections, derived values).
 */
export function defineNode<const C extends Columns>(options: {
  name: string;
  description: string;
  table: string;
  idColumn: string;
  idField: keyof C & string;
  /** Default: a bigint id. */
  possibleId?: (id: string) => boolean;
  typeColumns?: [string, string];
  columns: C;
  fields?: FieldsOf<RowOf<C>>;
}): DeclaredNode<RowOf<C>> {
  const { name, columns } = options;
  const idSql = columns[options.idField].sql;
  const all: Columns = { id: column('ID', (alias) => globalIdSql(name, idSql(alias, new Set()))), ...columns };
  const ref = builder.objectRef<RowOf<C>>(name);
  const node: DeclaredNode<RowOf<C>> = {
    typeName: name,
    table: options.table,
    idColumn: options.idColumn,
    idField: options.idField,
    possibleId: options.possibleId ?? isBigintId,
    typeColumns: options.typeColumns,
    ref,
  };
  ref.implement({
    description: options.description,
    interfaces: [builder.nodeInterfaceRef()],
    isTypeOf: (row) => (row as { $type?: string }).$type === name,
    extensions: { treeNode: node },
    fields: (t) => ({ ...columnFields(t, all), ...options.fields?.(t) }),
  });
  return node;
}

function columnFields<Row>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>, columns: Columns): FieldMap {
  return Object.fromEntries(
    Object.entries(columns).map(([name, { type, nullable, description, sql }]) => [
      name,
      // One generic field per column: the row type (RowOf) gives each value the shape of `type`.
      t.field({
        type: type as 'String',
        nullable,
        description,
        extensions: { treeField: { kind: 'column', sql } satisfies TreeField },
        resolve: (row) => (row as Record<string, string>)[name],
      }),
    ]),
  );
}

/** A value computed by a resolver from the columns `needs` (always loaded with it). */
export const derivedFrom = (...needs: string[]) => ({ treeField: { kind: 'derived', needs } satisfies TreeField });

/**
 * A to-one link to a row of `child`, joined in the same statement; `foreignKey` finds it for a row
 * loaded otherwise. A non-null link's foreign key is NOT NULL and the row it names is never deleted.
 */
export function link<Row, Child>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>,
  child: DeclaredNode<Child>,
  options: { foreignKey: keyof Row & string; join: Join; nullable: boolean; description?: string },
) {
  const { foreignKey, join, nullable, description } = options;
  return t.field({
    type: child.ref,
    nullable,
    description,
    extensions: { treeField: { kind: 'link', join, foreignKey } satisfies TreeField },
    // Pothos cannot relate a generic row to its ref's shape; defineNode does (RowOf).
    resolve: ((row: object, _args: object, ctx: Context, info: GraphQLResolveInfo) => resolveLinkedObject<Child>(row, ctx, info)) as never,
  });
}

/** The arguments every list of services, states or tasks takes, and `extra` ones. */
function listArgs<K extends string, Extra>(arg: ArgBuilder<Types>, typesArg: K, what: string, extra: Extra) {
  const types = arg({ type: ['AttributeRef'], description: `Ids or names of ${what} types.` });
  return {
    status: arg({ type: StatusEnum }),
    ...({ [typesArg]: types } as Record<K, typeof types>),
    ...extra,
    first: arg.int({ description: 'Page size: default 50, at most 500.' }),
    after: arg.string({ description: 'Cursor of the last item of the previous page.' }),
  };
}

/** The Relay connection type of a node type's lists, and the arguments each of its lists takes. */
export interface DeclaredList<Row, Args> {
  node: DeclaredNode<Row>;
  ref: ObjectRef<Types, Connection<Row>>;
  args(arg: ArgBuilder<Types>): Args;
}

/**
 * `<Name>Connection` (`edges { cursor node }`, `nodes`, `pageInfo`, `totalCount`) and its `<Name>Edge`.
 * Built by hand rather than with the relay plugin's t.connection, which would add backward paging
 * arguments (last/before) that the API does not promise.
 */
export function defineList<Row, K extends string, Extra = object>(
  node: DeclaredNode<Row>,
  options: { typesArg: K; what: string; args?: (arg: ArgBuilder<Types>) => Extra },
): DeclaredList<Row, ReturnType<typeof listArgs<K, Extra>>> {
  const name = node.typeName;
  const edge = builder.objectRef<Connection<Row>['edges'][number]>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: 'Opaque position; pass as `after` for the next page.' }),
      // A generic row (see link).
      node: t.field({ type: node.ref, resolve: ((e: { node: Row }) => e.node) as never }),
    }),
  });
  const ref = builder.objectRef<Connection<Row>>(`${name}Connection`).implement({
    description: `A page of ${name} objects ordered by start time, then id.`,
    extensions: { treeList: { node, typesArg: options.typesArg } satisfies TreeList },
    fields: (t) => ({
      edges: t.field({ type: [edge], resolve: (c) => c.edges }),
      nodes: t.field({ type: [node.ref], resolve: ((c: Connection<Row>) => c.nodes) as never }),
      pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (c) => c.pageInfo }),
      totalCount: t.int({
        description: 'Number of items matching the filters, over all pages.',
        resolve: (c) => c.totalCount ?? 0,
      }),
    }),
  });
  return { node, ref, args: (arg) => listArgs(arg, options.typesArg, options.what, options.args?.(arg) ?? ({} as Extra)) };
}

/** A page of `list`'s rows tied to the parent row by `join`, loaded with the parent in one statement. */
export function connection<Row, Child, Args extends InputFieldMap>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>,
  list: DeclaredList<Child, Args>,
  options: { join: Join; description: string },
) {
  return t.field({
    type: list.ref,
    description: options.description,
    args: list.args(t.arg),
    extensions: { treeField: { kind: 'connection', join: options.join } satisfies TreeField },
    resolve: ((row: object, args: ConnectionArgs, ctx: Context, info: GraphQLResolveInfo) =>
      resolveNestedConnection<Child>(row, args, ctx, info)) as never,
  });
}

/** The root field `field(<idArg>: <idType>!)`: one row of `node` by id; null when unknown. */
export function lookup<Row>(node: DeclaredNode<Row>, field: string, idArg: string, idType: 'ID' | 'String'): void {
  builder.queryField(field, (t) =>
    t.field({
      type: node.ref,
      nullable: true,
      description: `A ${field} by id; null when unknown.`,
      args: { [idArg]: t.arg({ type: idType, required: true }) },
      extensions: { treeLookup: { idArg } satisfies TreeLookup },
      resolve: ((_root: unknown, args: Record<string, unknown>, ctx: Context, info: GraphQLResolveInfo) =>
        loadById<Row>(ctx, info, node, String(args[idArg]))) as never,
    }),
  );
}

/** A root field listing `list`'s rows chosen by one required string argument `scopeArg`. */
export function rootList<Row, Args extends InputFieldMap>(
  list: DeclaredList<Row, Args>,
  field: string,
  options: { scopeArg: string; scope: TreeRootList['scope']; description: string },
): void {
  const { scopeArg, scope } = options;
  builder.queryField(field, (t) =>
    t.field({
      type: list.ref,
      description: options.description,
      args: { [scopeArg]: t.arg.string({ required: true }), ...list.args(t.arg) },
      extensions: { treeRootList: { scopeArg, scope } satisfies TreeRootList },
      resolve: ((_root: unknown, args: ConnectionArgs, ctx: Context, info: GraphQLResolveInfo) =>
        loadConnection<Row>(ctx, info, args, (alias, sql) => scope(alias, sql.param(args[scopeArg])))) as never,
    }),
  );
}

/** `node(id:)`: refetch of any node type by its Relay id, through the same loader as its lookup. */
export function nodeField(): void {
  builder.queryField('node', (t) =>
    t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, { id }, ctx, info) => loadNode(ctx, info, id.typename, id.id),
    }),
  );
}
