// What every resolver receives: built fresh for each request by server/yoga.ts.
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';

export interface Context {
  db: Database;
  config: Pick<Config, 'EXTENSIONS_MODE'>;
  requestId: string;
  logger: Logger;
}
