// Subscriptions (live context) through Yoga:
// - each event's selection is executed once per distinct document, operation and variables, and
//   the result handed to every subscriber that shares them (the usual case with persisted
//   operations), instead of once per subscriber;
// - Yoga's own SSE stream, with an `id:` line before each event (its eventId, which a browser
//   sends back as Last-Event-ID when it reconnects) and `X-Accel-Buffering: no` so that proxies
//   such as nginx pass events on at once. Yoga already sends a keep-alive comment every 12 s and
//   `Cache-Control: no-cache`.
// - stopping the gateway ends every subscription cleanly (clients resume elsewhere with `after`).
import { createSourceEventStream, type DocumentNode, type ExecutionArgs, type ExecutionResult, execute } from 'graphql';
import { getSSEProcessor, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { LiveContext } from '../events/live-context.js';
import { handedOver } from '../events/subscriber.js';

/** Per event (payload object), the execution of each operation+variables that selected it. */
const executions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
const documentIds = new WeakMap<DocumentNode, number>();
let documents = 0;

function operationKey(args: ExecutionArgs): string {
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = documents++));
  return `${id}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
}

function executeShared(args: ExecutionArgs, key: string, payload: unknown): Promise<ExecutionResult> {
  // Failures and anything else that is not an object are one subscriber's own.
  if (typeof payload !== 'object' || payload === null) return Promise.resolve(execute({ ...args, rootValue: payload }));
  let byOperation = executions.get(payload);
  if (!byOperation) executions.set(payload, (byOperation = new Map()));
  let result = byOperation.get(key);
  if (!result) {
    result = Promise.resolve(execute({ ...args, rootValue: payload }));
    byOperation.set(key, result);
  }
  return result;
}

/** What graphql-js's subscribe does, with each event's execution shared (see executeShared). */
async function subscribeShared(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source as ExecutionResult;
  const key = operationKey(args);
  const events = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  // Not an async generator: its return() would wait for a pending next(), and an idle
  // subscription whose client left would never be let go.
  const shared: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const event = await events.next();
      return event.done ? { done: true, value: undefined } : { done: false, value: await executeShared(args, key, event.value) };
    },
    async return() {
      await events.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return shared;
    },
  };
  return shared;
}

const EVENT_STREAM = 'text/event-stream';
// Yoga writes a message as `event: next` then its `data:` line (JSON: no line breaks inside).
const NEXT = /(^|\n)event: next\n/g;

/** Yoga's SSE response with an `id:` line before each event it writes. */
function withEventIds(
  response: Response,
  request: Request,
  fetchAPI: { Response: typeof Response; Headers: typeof Headers; ReadableStream: typeof ReadableStream },
): Response {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const source = response.body!.getReader();
  // Not a TransformStream: a client that leaves cancels this, and the cancel must reach Yoga's
  // stream (and the subscription) at once, not at its next write.
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) return controller.close();
      const text = decoder.decode(value, { stream: true });
      // Yoga writes one message per value the subscription handed over, in that order.
      const ids = handedOver(request);
      controller.enqueue(
        encoder.encode(
          text.replace(NEXT, (_match, start: string) => {
            const eventId = ids.shift();
            return `${start}${eventId ? `id: ${eventId}\n` : ''}event: next\n`;
          }),
        ),
      );
    },
    cancel: (reason) => source.cancel(reason),
  });
  const headers = new fetchAPI.Headers(response.headers);
  headers.set('X-Accel-Buffering', 'no');
  return new fetchAPI.Response(body, { status: response.status, headers });
}

export function useLiveContext(live: LiveContext): Plugin {
  const sse = getSSEProcessor();
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeShared as Parameters<typeof setSubscribeFn>[0]);
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !request.headers.get('accept')?.includes(EVENT_STREAM)) return;
      setResultProcessor(
        async (result, fetchAPI, mediaType) => withEventIds(await sse(result, fetchAPI, mediaType), request, fetchAPI),
        EVENT_STREAM,
      );
    },
    onDispose() {
      live.close();
    },
  };
}
