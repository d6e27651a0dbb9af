// GET /metrics in the Prometheus text format, and one observation per GraphQL request. With
// METRICS_TOKEN set, scrapes must send `Authorization: Bearer <METRICS_TOKEN>`. Without `serve`
// (production without a token) the path is not served at all: a public port never gives away
// operation names and pool figures by accident.
import { timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../observability/metrics.js';
import { operationLabel, outcomeOf, requestInfo } from '../observability/request-info.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function useMetrics(
  metrics: GatewayMetrics,
  { token, serve, endpoint = '/metrics' }: { token?: string; serve: boolean; endpoint?: string },
): Plugin {
  return {
    // Not async, like useReadiness: only a scrape waits for anything.
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (!serve || url.pathname !== endpoint) return;
      if (token && !sameSecret(request.headers.get('authorization') ?? '', `Bearer ${token}`)) {
        endResponse(new fetchAPI.Response('unauthorized\n', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } }));
        return;
      }
      return metrics.registry
        .metrics()
        .then((text) => endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType } })));
    },
    onResponse({ request }) {
      // Which requests are API ones, like their operations and outcome, the request log notes.
      const info = requestInfo(request);
      if (!info.api) return;
      metrics.observeRequest(operationLabel(info), outcomeOf(info), (performance.now() - info.startedAt) / 1000);
    },
  };
}
