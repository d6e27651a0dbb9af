// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database
// in DATA_DIR when it is unset, then stops.
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openDatabase } from './database.js';

const config = loadConfig();
const db = await openDatabase(config, createLogger(config.LOG_LEVEL));
await db.close();
