// GET /ready: 200 only while the database answers and every committed migration is applied,
// so a load balancer never sends traffic to a gateway that cannot serve it.
import type { Plugin } from 'graphql-yoga';

export function useReadiness(isReady: () => Promise<boolean>, endpoint = '/ready'): Plugin {
  return {
    // Not async: a promise from every request's hook would put all of them through more ticks.
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      return isReady().then((ready) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify({ ready }), {
            status: ready ? 200 : 503,
            headers: { 'content-type': 'application/json' },
          }),
        ),
      );
    },
  };
}
