// GET /ready: 200 only while the database answers and every committed migration is applied, so a
// load balancer never sends traffic to a gateway that cannot serve it. GET /health: 200 while the
// gateway can serve or get its database back by itself, 503 once it cannot (it is then on its way
// out, for its supervisor to start it again), so a liveness probe never keeps a lost cause alive.
import type { Plugin } from 'graphql-yoga';

export function useReadiness(isReady: () => Promise<boolean>, isHealthy: () => boolean): Plugin {
  return {
    // Not async: a promise from every request's hook would put all of them through more ticks.
    onRequest({ url, endResponse, fetchAPI }) {
      const answer = (status: number, body: Record<string, boolean>) =>
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
      if (url.pathname === '/health') {
        const healthy = isHealthy();
        answer(healthy ? 200 : 503, { healthy });
        return;
      }
      if (url.pathname !== '/ready') return;
      return isReady().then((ready) => answer(ready ? 200 : 503, { ready }));
    },
  };
}
