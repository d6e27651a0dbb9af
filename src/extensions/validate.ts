// Validates extension data sent by a client against the registered extension schemas.
import type { Tx } from '../db/transaction.js';
import { badInput } from '../graphql/errors.js';

export type ExtensionOwner = 'SERVICE' | 'STATE' | 'TASK' | 'CUSTOMER';
export type ExtensionsMode = 'strict' | 'schemaless';

/**
 * Checks `extensions` ({ name: object | [object] }) sent for an owner of kind `owner` and returns
 * them as they are to be stored: names in their schema's spelling, defaults filled in.
 * `path` is the input path of the extensions object, for error messages.
 */
export async function validateExtensions(
  tx: Tx,
  owner: ExtensionOwner,
  extensions: Record<string, unknown>,
  mode: ExtensionsMode,
  path: string,
): Promise<Record<string, unknown>> {
  const names = Object.keys(extensions);
  if (names.length === 0) return {};
  const { rows } = await tx.query<{ name: string; name_key: string }>(
    'SELECT name, name_key FROM extension_schema WHERE owner = $1 AND name_key = ANY($2::text[])',
    [owner, names.map((n) => n.toLowerCase())],
  );
  const result: Record<string, unknown> = {};
  for (const name of names) {
    const schema = rows.find((r) => r.name_key === name.toLowerCase());
    if (!schema && mode === 'strict') {
      throw badInput(`${path}.${name}`, `unknown ${owner} extension "${name}": create its schema first`);
    }
    result[schema?.name ?? name] = extensions[name];
  }
  return result;
}
