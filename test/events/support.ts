// Subscribing over SSE in-process (yoga.fetch), and the writes the live context tests make.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createLogger } from '../../src/logger.js';
import { serveWebSocket } from '../../src/server/websocket.js';
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

/** The gateway listening on a free loopback port, with its WebSocket transport. */
export async function listen(t: TestGateway, perConnection = 100) {
  const server = createServer(t.gateway);
  const transport = serveWebSocket(server, t.gateway, { logger: createLogger('silent'), perConnection });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    httpUrl: `http://127.0.0.1:${port}/graphql`,
    async close() {
      await transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface WsSubscription {
  take(count: number, timeoutMs?: number): Promise<any[]>;
  /** Resolves with how the operation ended: complete, or the error it ended with. */
  ended: Promise<{ errors?: readonly any[] } | 'complete'>;
  close(): void;
}

/** A graphql-ws client; `subscribe` collects results in order. */
export function wsClient(url: string, connectionParams: Record<string, unknown> = {}) {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => void closes.push(event as { code: number; reason: string }) },
  });
  return {
    client,
    closes,
    subscribe(payload: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> }): WsSubscription {
      const results: any[] = [];
      let wake: (() => void) | undefined;
      let settle!: (value: { errors?: readonly any[] } | 'complete') => void;
      const ended = new Promise<{ errors?: readonly any[] } | 'complete'>((resolve) => (settle = resolve));
      const unsubscribe = client.subscribe(payload, {
        next: (result) => {
          results.push(result);
          wake?.();
        },
        error: (error) => {
          settle({ errors: Array.isArray(error) ? error : [error] });
          wake?.();
        },
        complete: () => {
          settle('complete');
          wake?.();
        },
      });
      return {
        ended,
        async take(count, timeoutMs = 5_000) {
          const deadline = Date.now() + timeoutMs;
          while (results.length < count) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`only ${results.length} of ${count} results within ${timeoutMs} ms`);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, left);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          return results.splice(0, count);
        },
        close: unsubscribe,
      };
    },
    dispose: () => client.dispose(),
  };
}
