// Every server `npm run bench` can time, and those it times unless told otherwise (--servers).
// A new peer is a file in this folder and one line here.
import { floor } from './floor.js';
import { gateway, gatewayExecutor, gatewayPersisted } from './gateway.js';
import { postgraphile } from './postgraphile.js';
import type { ServerDeclaration } from './server.js';

export const SERVERS: ServerDeclaration[] = [gateway, gatewayExecutor, gatewayPersisted, postgraphile, floor];

export const DEFAULT_SERVERS = ['gateway', 'gateway-executor', 'postgraphile', 'floor'];
