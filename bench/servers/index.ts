// Every server `npm run bench` can time, and those it times unless told otherwise (--servers).
// A new peer is a file in this folder and one line here.
import { floor } from './floor.js';
import { gateway, gatewayExecutor, gatewayPersisted } from './gateway.js';
import { postgraphile } from './postgraphile.js';
import type { ServerDeclaration } from './server.js';
import { yogaFloor } from './yoga-floor.js';

export const SERVERS: ServerDeclaration[] = [gateway, gatewayExecutor, gatewayPersisted, postgraphile, yogaFloor, floor];

export const DEFAULT_SERVERS = ['gateway', 'gateway-executor', 'postgraphile', 'yoga-floor', 'floor'];
