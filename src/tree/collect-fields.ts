// Groups the fields selected under some field nodes by response key, following fragments and
// honouring @skip/@include, as graphql-js's executor does. graphql 16 keeps its own version
// private (reachable only by a deep path that bundlers resolve to a second copy of graphql).
import {
  type FieldNode,
  type FragmentSpreadNode,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  getDirectiveValues,
  type InlineFragmentNode,
  isAbstractType,
  Kind,
  type SelectionSetNode,
  typeFromAST,
} from 'graphql';

/** What collecting fields needs of a request: the schema, the document's fragments, the variables. */
export type Selection = Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>;

function included(info: Selection, node: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}

function applies(info: Selection, typeCondition: InlineFragmentNode['typeCondition'], type: GraphQLObjectType): boolean {
  if (!typeCondition) return true;
  const conditionType = typeFromAST(info.schema, typeCondition);
  if (conditionType === type) return true;
  return isAbstractType(conditionType) && info.schema.isSubType(conditionType, type);
}

function collect(
  info: Selection,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fields: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!included(info, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const list = fields.get(key);
      if (list) list.push(selection);
      else fields.set(key, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(info, selection.typeCondition, type)) collect(info, type, selection.selectionSet, fields, visited);
    } else {
      const name = selection.name.value;
      const fragment = info.fragments[name];
      if (visited.has(name) || !fragment || !applies(info, fragment.typeCondition, type)) continue;
      visited.add(name);
      collect(info, type, fragment.selectionSet, fields, visited);
    }
  }
}

/** The fields of an operation's own selection set (its root fields), by response key. */
export function collectRootFields(info: Selection, type: GraphQLObjectType, selectionSet: SelectionSetNode): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  collect(info, type, selectionSet, fields, new Set());
  return fields;
}

export function collectSubfields(info: Selection, type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  for (const node of nodes) if (node.selectionSet) collect(info, type, node.selectionSet, fields, visited);
  return fields;
}
