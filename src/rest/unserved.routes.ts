// Operations of the reference whose capability the gateway does not have: they answer 501 with
// the reference's error body, so a client can tell "not here" (404) from "not supported".
import type { Unserved } from './route.js';

const unserved = (method: Unserved['method'], path: string, reference: string, summary: string, why: string): Unserved => ({
  method,
  path,
  reference,
  summary,
  unserved: `${summary.replace(/\.$/, '')}: not supported by this gateway (${why})`,
});

export const UNSERVED_ROUTES: Unserved[] = [
  unserved(
    'DELETE',
    '/services/{service_id}',
    '28 Delete Service By ID',
    'Deletes a service with its states and tasks.',
    'no deletion of services',
  ),
  unserved('PUT', '/services/{service_id}', '29 Update Expiration Time (TTL)', 'Sets when a service expires.', 'no expiration'),
  unserved('GET', '/server/status', '54 Query Server Status (CV.WS.STAT)', 'Reports the server status.', 'see /ready and /metrics'),
  unserved(
    'POST',
    '/server/mode',
    '55 Set Server Mode (CV.WS.MODE)',
    'Switches between production and maintenance mode.',
    'no server modes',
  ),
  unserved('POST', '/maintenance/purge', '56 Purge Services', 'Purges services started before a date.', 'no purge'),
  unserved(
    'GET',
    '/maintenance/services/stream',
    '57 Export Services to JSON Stream by Date',
    'Exports services as a JSON stream.',
    'no export',
  ),
  unserved('POST', '/maintenance/services/files', '58 Export Services to File by Date', 'Exports services to files.', 'no export'),
];
