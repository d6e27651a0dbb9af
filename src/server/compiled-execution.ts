// Compiled execution (graphql-jit) for the documents it handles exactly like graphql-js.
// Mutations stay on graphql-js, whose input errors carry the exact input path; so do documents
// with a variable inside an object or list literal (e.g. `attributes: { PhoneNumber: $p }`),
// which graphql-jit silently drops when the argument is a custom scalar such as JSONObject; and
// documents of several operations, because the plugin keeps one compiled query per document
// whatever the operationName, and would run the first operation compiled for every later one;
// and documents with fragments, whose fields graphql-jit puts after the others (`node(id:) {
// ... on Customer { customerId } id }` answered `id` first), where the spec and graphql-js keep
// them in place, as the JSON-text path does: one document, one key order, whichever path answers.

import type { Plugin } from '@envelop/core';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { BREAK, type DocumentNode, Kind, visit } from 'graphql';

const verdicts = new WeakMap<DocumentNode, boolean>();

function compilable(document: DocumentNode): boolean {
  if (document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length !== 1) return false;
  let ok = true;
  let literalDepth = 0;
  const refuse = () => {
    ok = false;
    return BREAK;
  };
  visit(document, {
    OperationDefinition(node) {
      if (node.operation !== 'query') return refuse();
    },
    InlineFragment: refuse,
    FragmentSpread: refuse,
    ObjectValue: { enter: () => void literalDepth++, leave: () => void literalDepth-- },
    ListValue: { enter: () => void literalDepth++, leave: () => void literalDepth-- },
    Variable(_node, _key, parent) {
      // A variable's own definition ($x: Int) is not a use inside a literal.
      if (literalDepth > 0 && (parent as { kind?: string } | undefined)?.kind !== Kind.VARIABLE_DEFINITION) return refuse();
    },
  });
  return ok;
}

export function useCompiledExecution(): Plugin {
  return useGraphQlJit(
    {},
    {
      enableIf: ({ document }) => {
        let verdict = verdicts.get(document);
        if (verdict === undefined) {
          verdict = compilable(document);
          verdicts.set(document, verdict);
        }
        return verdict;
      },
    },
  );
}
