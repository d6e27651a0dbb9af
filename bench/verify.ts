// Before anything is timed: every server must give the reference's answer (the floor's, else the
// gateway's) to the same requests, in canonical form, object keys sorted and new ids and server
// timestamps masked; and the workload's own checks must hold for both.
import { type Exchange, type HttpRequest, JSON_HEADERS, normalise, type Variables, type Workload } from './workloads/workload.js';

export interface Reply {
  status: number;
  body: string;
}

/** Sends a request to one server: over HTTP in a run, in-process in the tests. */
export type Send = (request: HttpRequest) => Promise<Reply>;

export const overHttp =
  (baseUrl: string): Send =>
  async ({ method, path, body, headers }) => {
    const response = await fetch(baseUrl + path, { method, headers: { ...JSON_HEADERS, ...headers }, body });
    return { status: response.status, body: await response.text() };
  };

/** A server as the check sees it: how to reach it and how to ask it. */
export interface Answerer {
  name: string;
  send: Send;
  exchange: Exchange;
}

/** Where two JSON values first differ, e.g. `customer.services.nodes[0].extensions.coupon: 1 != 2`. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items != ${b.length} items`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) {
      const d = firstDifference((a as any)[key], (b as any)[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
}

type Asked = { data: unknown } | { problem: string };

async function ask(who: Answerer, workload: Workload, variables: Variables): Promise<Asked> {
  const reply = await who.send(who.exchange.request(variables));
  if (!who.exchange.ok(reply.status, reply.body)) {
    return {
      problem: `${workload.name}: ${who.name} failed on ${JSON.stringify(variables)}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`,
    };
  }
  try {
    return { data: who.exchange.read(reply.body) };
  } catch (error) {
    return { problem: `${workload.name}: ${who.name}'s answer does not read (${(error as Error).message}): ${reply.body.slice(0, 300)}` };
  }
}

/**
 * Sends `samples` requests of `workload` to the reference and to `subject`, drawn from the
 * workload's sources as a round would, and returns the problems found.
 */
export async function compareAnswers(workload: Workload, reference: Answerer, subject: Answerer, samples: number): Promise<string[]> {
  const seed = 'verify';
  const sources = [workload.source(seed), workload.source(seed)];
  for (let i = 0; i < samples; i++) {
    const asked: { who: Answerer; variables: Variables; data: unknown }[] = [];
    for (const [n, who] of [reference, subject].entries()) {
      const variables = sources[n].next();
      if (!variables) return [`${workload.name}: ran out of input for the check`];
      const answer = await ask(who, workload, variables);
      if ('problem' in answer) return [answer.problem];
      sources[n].onData?.(answer.data);
      asked.push({ who, variables, data: answer.data });
    }
    const problems = asked.flatMap(({ who, variables, data }) =>
      (workload.check?.(variables, data) ?? []).map((problem) => `${workload.name}: ${who.name}: ${problem}`),
    );
    const [a, b] = asked;
    const difference = firstDifference(normalise(b.data, workload.volatile), normalise(a.data, workload.volatile));
    if (difference)
      problems.unshift(
        `${workload.name}: ${subject.name} and ${reference.name} differ for ${JSON.stringify(b.variables)} at ${difference}`,
      );
    if (problems.length) return problems;
  }
  return [];
}
