// Prisma's schema engine, compiled to WebAssembly, driven through our own `pg` adapter. The CLI's
// native engine is downloaded from servers our machines cannot reach; this one ships in npm.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

let loaded: Promise<typeof bindings> | undefined;

// The package imports its .wasm as an ES module, which Node 20 refuses without a flag, so the
// module is instantiated by hand against the generated JS glue.
function loadBindings(): Promise<typeof bindings> {
  loaded ??= (async () => {
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(glue), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bindings;
  })();
  return loaded;
}

export interface SchemaEngineOptions {
  connectionString: string;
  /** Prisma schema text the engine starts from. */
  datamodel?: string;
  /** Receives the engine's log lines. */
  onLog?: (line: string) => void;
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes its connections (the engine itself never does). */
  close(): Promise<void>;
}

export async function openSchemaEngine(options: SchemaEngineOptions): Promise<OpenSchemaEngine> {
  const { SchemaEngine } = await loadBindings();
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  const engine = await SchemaEngine.new(
    { datamodels: options.datamodel ? [['schema.prisma', options.datamodel]] : undefined },
    (line: string) => options.onLog?.(line),
    bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool)),
  );
  return {
    engine,
    async close() {
      engine.free();
      await pool.end();
    },
  };
}
