// Subscribing over SSE in-process (yoga.fetch), and the writes the live context tests make.
import type { TestGateway } from '../support/gateway.js';

export interface SseMessage {
  id?: string;
  event: string;
  data: any;
}

export interface SseSubscription {
  status: number;
  headers: Headers;
  /** The next message (`next` or `complete`); fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** The `next` messages' data until `count` arrived. */
  take(count: number, timeoutMs?: number): Promise<any[]>;
  /** Resolves true if no message arrives within `ms`. */
  quiet(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export const EVENT_FIELDS = /* GraphQL */ `eventId type occurredAt customerId contactKey serviceId stateId taskId extensionOwner extensionName previousCustomerId`;

export function contextEvents(selection = EVENT_FIELDS): string {
  return `subscription($customerId: String, $contactKey: String, $serviceId: ID, $types: [ContextEventType!], $after: String) {
    contextEvents(customerId: $customerId, contactKey: $contactKey, serviceId: $serviceId, types: $types, after: $after) { ${selection} }
  }`;
}

export async function subscribeSse(
  t: TestGateway,
  variables: Record<string, unknown>,
  {
    query = contextEvents(),
    headers = {},
    body,
    paused = false,
  }: {
    query?: string;
    headers?: Record<string, string>;
    body?: unknown /** Read nothing until the first next(). */;
    paused?: boolean;
  } = {},
): Promise<SseSubscription> {
  const response = await t.gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body ?? { query, variables }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const messages: SseMessage[] = [];
  let waiter: (() => void) | undefined;
  let ended = false;
  let reading = false;
  const read = async () => {
    reading = true;
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: Partial<SseMessage> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).trimStart();
          if (field === 'id') message.id = value;
          if (field === 'event') message.event = value;
          if (field === 'data') message.data = value ? JSON.parse(value) : undefined;
        }
        if (message.event) {
          messages.push(message as SseMessage);
          waiter?.();
        }
      }
    }
    ended = true;
    waiter?.();
  };
  if (!paused) void read();
  const next = async (timeoutMs = 5_000): Promise<SseMessage> => {
    if (!reading) void read();
    const deadline = Date.now() + timeoutMs;
    while (messages.length === 0) {
      if (ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SSE message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return messages.shift()!;
  };
  return {
    status: response.status,
    headers: response.headers,
    next,
    async take(count, timeoutMs) {
      const data = [];
      while (data.length < count) {
        const message = await next(timeoutMs);
        if (message.event !== 'next') throw new Error(`expected an event, got ${JSON.stringify(message)}`);
        data.push(message.data);
      }
      return data;
    },
    async quiet(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return messages.length === 0;
    },
    async close() {
      await reader.cancel().catch(() => {});
    },
  };
}

/** Writes through the gateway; each returns the ids it made. */
export function writer(t: TestGateway) {
  return {
    async startService(input: Record<string, unknown>): Promise<string> {
      const data = await t.ok('mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }', { i: input });
      return data.startService.service.serviceId;
    },
    async associate(serviceId: string, customerId: string): Promise<void> {
      await t.ok('mutation($i: AssociateServiceInput!) { associateService(input: $i) { service { serviceId } } }', {
        i: { serviceId, customerId },
      });
    },
    async startState(serviceId: string): Promise<string> {
      const data = await t.ok('mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }', { s: serviceId });
      return data.startState.state.stateId;
    },
    async completeState(stateId: string): Promise<void> {
      await t.ok('mutation($s: ID!) { completeState(input: { stateId: $s }) { state { stateId } } }', { s: stateId });
    },
    async startTask(serviceId: string, stateId?: string): Promise<string> {
      const data = await t.ok('mutation($s: ID!, $st: ID) { startTask(input: { serviceId: $s, stateId: $st }) { task { taskId } } }', {
        s: serviceId,
        st: stateId,
      });
      return data.startTask.task.taskId;
    },
    async completeTask(taskId: string): Promise<void> {
      await t.ok('mutation($t: ID!) { completeTask(input: { taskId: $t }) { task { taskId } } }', { t: taskId });
    },
    async completeService(serviceId: string): Promise<void> {
      await t.ok('mutation($s: ID!) { completeService(input: { serviceId: $s }) { service { serviceId } } }', { s: serviceId });
    },
    async updateExtension(owner: string, ownerId: string, name: string, value: unknown): Promise<void> {
      await t.ok('mutation($i: UpdateExtensionInput!) { updateExtension(input: $i) { extensions } }', {
        i: { owner, ownerId, name, value },
      });
    },
    async updateCustomer(customerId: string, attributes: Record<string, unknown>): Promise<void> {
      await t.ok('mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { customerId } } }', {
        i: { customerId, attributes },
      });
    },
  };
}
