// Every operation of the reference REST API the gateway knows, in the inventory's order.
import { EXTENSION_ROUTES, PROFILE_RECORD_ROUTES } from './extension.routes.js';
import { LIFECYCLE_ROUTES } from './lifecycle.routes.js';
import { METADATA_ROUTES } from './metadata.routes.js';
import { PROFILE_ROUTES } from './profile.routes.js';
import { QUERY_ROUTES } from './query.routes.js';
import type { AnyRoute } from './route.js';
import { PROFILE_SCHEMA_ROUTES, SCHEMA_ROUTES } from './schema.routes.js';
import { UNSERVED_ROUTES } from './unserved.routes.js';

export const ROUTES: readonly AnyRoute[] = [
  ...LIFECYCLE_ROUTES,
  ...QUERY_ROUTES,
  ...EXTENSION_ROUTES,
  ...SCHEMA_ROUTES,
  ...PROFILE_ROUTES,
  ...PROFILE_RECORD_ROUTES,
  ...PROFILE_SCHEMA_ROUTES,
  ...METADATA_ROUTES,
  ...UNSERVED_ROUTES,
];
