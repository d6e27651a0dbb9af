// What every resolver receives: built fresh for each request by server/yoga.ts. The engines above
// this folder add their own members (events/live-context.ts adds `live`), so it imports none of them.
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';

export interface Context {
  db: Database;
  config: Pick<Config, 'EXTENSIONS_MODE'>;
  requestId: string;
  /**
   * The gateway's logger: a line about this request names its requestId. Not a child logger per
   * request: pino serialises a child's bindings when it is made, on every request, for the rare
   * request that logs.
   */
  logger: Logger;
  /** The authenticated caller and its scopes. */
  auth: Principal;
  /** The HTTP request (Yoga puts it there; a WebSocket subscription has one made from its connection). */
  request?: Request;
}
