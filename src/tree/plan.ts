// Look-ahead: turns the selection under a field into a plan of what to load: which fields of
// each node type, and which nested connections with which arguments. Fragments, aliases and
// @skip/@include are resolved the way the executor resolves them.
import { type FieldNode, type GraphQLObjectType, getArgumentValues, getNamedType, isObjectType } from 'graphql';
import { collectSubfields, type Selection } from './collect-fields.js';
import { checkConnectionArgs } from './compile.js';
import type { ConnectionDef, Entity, ObjectDef } from './entity.js';

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  status?: 'ACTIVE' | 'COMPLETED' | null;
  startedFrom?: Date | null;
  startedTo?: Date | null;
  [typesArg: string]: unknown;
}

export interface Plan {
  entity: Entity;
  /** Field -> names of its selected subfields (empty for scalars), merged over aliases and fragments. */
  fields: Map<string, Set<string>>;
  /** By response key: each alias of a connection field is loaded on its own. */
  connections: Map<string, ConnectionPlan>;
  objects: Map<string, ObjectPlan>;
}

export interface ObjectPlan {
  def: ObjectDef;
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

function objectType(info: Selection, name: string): GraphQLObjectType {
  return info.schema.getType(name) as GraphQLObjectType;
}

/** The plan for `entity` objects selected by `nodes`. */
export function planNode(info: Selection, entity: Entity, nodes: readonly FieldNode[]): Plan {
  const type = objectType(info, entity.typeName);
  const plan: Plan = { entity, fields: new Map([[entity.idField, new Set()]]), connections: new Map(), objects: new Map() };
  const need = (field: string) => {
    let selected = plan.fields.get(field);
    if (!selected) plan.fields.set(field, (selected = new Set()));
    return selected;
  };
  for (const [key, fieldNodes] of subFields(info, type, nodes)) {
    const name = fieldNodes[0].name.value;
    const connection = entity.connections[name];
    const object = entity.objects?.[name];
    if (object) {
      plan.objects.set(key, { def: object, node: planNode(info, object.child, fieldNodes) });
    } else if (connection) {
      const args = getArgumentValues(type.getFields()[name], fieldNodes[0], info.variableValues) as ConnectionArgs;
      if (!validArgs(args)) continue;
      const connectionType = getNamedType(type.getFields()[name].type) as GraphQLObjectType;
      plan.connections.set(key, planConnection(info, connection, args, connectionType, fieldNodes));
    } else if (name in entity.fields) {
      const selected = need(name);
      const fieldType = getNamedType(type.getFields()[name].type);
      if (isObjectType(fieldType)) for (const [, sub] of subFields(info, fieldType, fieldNodes)) selected.add(sub[0].name.value);
    }
    for (const needed of entity.derived?.[name] ?? []) need(needed);
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
