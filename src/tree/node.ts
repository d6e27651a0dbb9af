// What the tree compiler knows of the context tree's node types (customer, service, state, task):
// read from the schema itself. Each node type carries its table in its GraphQL type's extensions,
// and each of its fields how PostgreSQL builds it, in the field's extensions: both are written by
// the one declaration of the type and of each field (declare.ts), so the SQL and the GraphQL field
// cannot drift apart, and nothing is registered anywhere else.
import { type GraphQLField, type GraphQLNamedType, getNamedType } from 'graphql';

/**
 * An SQL expression producing one field's JSON value, given the table alias and, for a field of
 * object type, the names of its subfields the client selected (empty for a scalar). An object
 * value is NULL or has exactly the selected subfields of scalar type as keys, in the order given
 * (`__typename` aside): query-as-json.ts serves it to the client as it is.
 */
export type FieldSql = (alias: string, selected: ReadonlySet<string>) => string;

/** A condition tying a row of one table (childAlias) to a row of another (parentAlias). */
export type Join = (childAlias: string, parentAlias: string) => string;

/** A node type: where its rows are and how they are known. */
export interface TreeNode {
  typeName: string;
  table: string;
  idColumn: string;
  /** The field carrying the id; always loaded, it keys Relay ids and upward lookups. */
  idField: string;
  /** Whether a row can have this id; anything else is known absent without a query. */
  possibleId(id: string): boolean;
  /** Business type columns [id, name], for the *Types filters of its lists. */
  typeColumns?: [string, string];
}

/** How one field of a node type is loaded. */
export type TreeField =
  /** A value PostgreSQL builds. */
  | { kind: 'column'; sql: FieldSql }
  /** A value a resolver computes from other fields (loaded with the row): not built in SQL. */
  | { kind: 'derived'; needs: string[] }
  /** A to-one link, loaded in the same statement; `foreignKey` reloads it for a row from elsewhere. */
  | { kind: 'link'; join: Join; foreignKey: string }
  /** A page of child rows, loaded in the same statement. */
  | { kind: 'connection'; join: Join };

/** A root field that fetches one node by the id in `idArg`. */
export interface TreeLookup {
  idArg: string;
}

/** A root list of nodes chosen by the argument `scopeArg`, whose parameter puts `scope` on a row. */
export interface TreeRootList {
  scopeArg: string;
  scope: (alias: string, param: string) => string;
}

/** A list of child rows as the compiler builds it. */
export interface ConnectionDef {
  child: TreeNode;
  join: Join;
  typesArg: string;
}

export const treeNodeOf = (type: GraphQLNamedType): TreeNode | undefined => type.extensions.treeNode as TreeNode | undefined;

export const treeFieldOf = (field: GraphQLField<unknown, unknown>): TreeField | undefined =>
  field.extensions.treeField as TreeField | undefined;

export const treeLookupOf = (field: GraphQLField<unknown, unknown>): TreeLookup | undefined =>
  field.extensions.treeLookup as TreeLookup | undefined;

export const treeRootListOf = (field: GraphQLField<unknown, unknown>): TreeRootList | undefined =>
  field.extensions.treeRootList as TreeRootList | undefined;

/** What a connection type lists (`ServiceConnection`: `Service` rows), and its argument filtering by business type. */
export interface TreeList {
  node: TreeNode;
  typesArg: string;
}

export const treeListOf = (connectionType: GraphQLNamedType): TreeList => connectionType.extensions.treeList as TreeList;

/** What a connection field lists, or undefined when the field is no connection. */
export function connectionOf(field: GraphQLField<unknown, unknown>): ConnectionDef | undefined {
  const tree = treeFieldOf(field);
  if (tree?.kind !== 'connection') return undefined;
  const { node, typesArg } = treeListOf(getNamedType(field.type));
  return { child: node, join: tree.join, typesArg };
}

/** The node type a link field leads to, or undefined when the field is no link. */
export function linkOf(field: GraphQLField<unknown, unknown>): { child: TreeNode; join: Join; foreignKey: string } | undefined {
  const tree = treeFieldOf(field);
  if (tree?.kind !== 'link') return undefined;
  return { child: treeNodeOf(getNamedType(field.type))!, join: tree.join, foreignKey: tree.foreignKey };
}
