// Look-ahead: turns the selection under a field into a plan of what to load: which fields of
// each node type, and which nested connections with which arguments. Fragments, aliases and
// @skip/@include are resolved the way the executor resolves them.
import { type FieldNode, type GraphQLObjectType, getArgumentValues, getNamedType, isObjectType } from 'graphql';
import { collectSubfields, type Selection } from './collect-fields.js';
import { type ConnectionArgs, checkConnectionArgs } from './connection-args.js';
import { type ConnectionDef, connectionOf, type FieldSql, type Join, linkOf, type TreeNode, treeFieldOf } from './node.js';

export interface Plan {
  node: TreeNode;
  /** Column -> its SQL and the names of its selected subfields (none for scalars), merged over aliases and fragments. */
  fields: Map<string, { sql: FieldSql; selected: Set<string> }>;
  /** By response key: each alias of a connection field is loaded on its own. */
  connections: Map<string, ConnectionPlan>;
  objects: Map<string, ObjectPlan>;
}

/** A to-one link, loaded by the subquery `join` makes. */
export interface ObjectPlan {
  join: Join;
  node: Plan;
}

export interface ConnectionPlan {
  def: ConnectionDef;
  args: ConnectionArgs;
  totalCount: boolean;
  /** Whether any cursor is selected (edges.cursor, pageInfo): only then are positions loaded. */
  cursors: boolean;
  node: Plan;
}

function subFields(info: Selection, type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, readonly FieldNode[]> {
  return collectSubfields(info, type, nodes);
}

/** The plan for `node` objects selected by `nodes`. */
export function planNode(info: Selection, node: TreeNode, nodes: readonly FieldNode[]): Plan {
  const type = info.schema.getType(node.typeName) as GraphQLObjectType;
  const fields = type.getFields();
  const plan: Plan = { node, fields: new Map(), connections: new Map(), objects: new Map() };
  const need = (name: string) => {
    let column = plan.fields.get(name);
    if (!column) {
      const tree = treeFieldOf(fields[name]);
      if (tree?.kind !== 'column') throw new Error(`${node.typeName}.${name} is no column`);
      plan.fields.set(name, (column = { sql: tree.sql, selected: new Set() }));
    }
    return column.selected;
  };
  need(node.idField);
  for (const [key, fieldNodes] of subFields(info, type, nodes)) {
    const name = fieldNodes[0].name.value;
    const field = fields[name];
    const tree = field && treeFieldOf(field);
    if (!tree) continue;
    if (tree.kind === 'link') {
      const link = linkOf(field)!;
      need(link.foreignKey);
      plan.objects.set(key, { join: link.join, node: planNode(info, link.child, fieldNodes) });
    } else if (tree.kind === 'connection') {
      const args = getArgumentValues(field, fieldNodes[0], info.variableValues) as ConnectionArgs;
      if (!validArgs(args)) continue;
      const connectionType = getNamedType(field.type) as GraphQLObjectType;
      plan.connections.set(key, planConnection(info, connectionOf(field)!, args, connectionType, fieldNodes));
    } else if (tree.kind === 'derived') {
      for (const needed of tree.needs) need(needed);
    } else {
      const selected = need(name);
      const fieldType = getNamedType(field.type);
      if (isObjectType(fieldType)) for (const [, sub] of subFields(info, fieldType, fieldNodes)) selected.add(sub[0].name.value);
    }
  }
  return plan;
}

/**
 * Whether a connection's arguments are valid. One that is not is left out of the statement: its
 * own resolver reports the error, at its own path (`["customer", "services"]`).
 */
function validArgs(args: ConnectionArgs): boolean {
  try {
    checkConnectionArgs(args);
    return true;
  } catch {
    return false;
  }
}

/** The plan for a connection field (`edges { node }`, `nodes`, `totalCount`, `pageInfo`). */
export function planConnection(
  info: Selection,
  def: ConnectionPlan['def'],
  args: ConnectionArgs,
  connectionType: GraphQLObjectType,
  fieldNodes: readonly FieldNode[],
): ConnectionPlan {
  const nodeFieldNodes: FieldNode[] = [];
  let totalCount = false;
  let cursors = false;
  for (const [, nodes] of subFields(info, connectionType, fieldNodes)) {
    const name = nodes[0].name.value;
    if (name === 'totalCount') totalCount = true;
    if (name === 'pageInfo') cursors = true;
    if (name === 'nodes') nodeFieldNodes.push(...nodes);
    if (name === 'edges') {
      const edgeType = getNamedType(connectionType.getFields().edges.type) as GraphQLObjectType;
      for (const [, edgeNodes] of subFields(info, edgeType, nodes)) {
        const edgeField = edgeNodes[0].name.value;
        if (edgeField === 'node') nodeFieldNodes.push(...edgeNodes);
        if (edgeField === 'cursor') cursors = true;
      }
    }
  }
  return { def, args, totalCount, cursors, node: planNode(info, def.child, nodeFieldNodes) };
}
