// Starts one real PostgreSQL (embedded) for the whole run and migrates a template database
// that every test file clones into a database of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase } from '../../src/db/embedded.js';
import { applyMigrations } from '../../src/db/migrate.js';

export const TEMPLATE = 'gateway_template';

declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    /** Where tests write their files (scratch.ts); removed with everything in it after the run. */
    scratchRoot: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-test-'));
  const scratchRoot = await mkdtemp(path.join(os.tmpdir(), 'gateway-test-files-'));
  const db = await startEmbeddedDatabase(dataDir);
  const serverUrl = db.connectionString.replace(/\/[^/]+$/, '/postgres');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  await applyMigrations(serverUrl.replace(/\/postgres$/, `/${TEMPLATE}`));
  project.provide('serverUrl', serverUrl);
  project.provide('scratchRoot', scratchRoot);
  return async () => {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(scratchRoot, { recursive: true, force: true });
  };
}
