// Every operation of the reference REST API the gateway knows, in the inventory's order.
import { LIFECYCLE_ROUTES } from './lifecycle.routes.js';
import { QUERY_ROUTES } from './query.routes.js';
import type { AnyRoute } from './route.js';

export const ROUTES: readonly AnyRoute[] = [...LIFECYCLE_ROUTES, ...QUERY_ROUTES];
