// OpenTelemetry traces, on only when an OTLP endpoint is configured: one span per GraphQL
// operation (`query Caller`, with its name, type and outcome code), a child span per SQL statement
// it sends, continuing the caller's W3C `traceparent`, exported over OTLP/HTTP. Off, nothing here
// is created or called: no plugin, no wrapped pool, no context manager.

import { context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { type DocumentNode, GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type pg from 'pg';
import type { Config } from '../config.js';

export type TracingConfig = Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SERVICE_NAME'>;

export interface Tracing {
  tracer: Tracer;
  /** Sends the spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
  keys: (headers: Headers) => [...headers.keys()],
};

let contextManagerInstalled = false;

/** The tracer exporting to the configured endpoint, or undefined when none is configured. */
export function createTracing(config: TracingConfig): Tracing | undefined {
  // As the OpenTelemetry specification says: the traces endpoint as given, the base one + /v1/traces.
  const url =
    config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (config.OTEL_EXPORTER_OTLP_ENDPOINT && `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces`);
  if (!url) return undefined;
  if (!contextManagerInstalled) {
    // Process-wide, as OpenTelemetry's context is: several gateways in one process share it.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerInstalled = true;
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
  });
  return { tracer: provider.getTracer('context-gateway'), shutdown: () => provider.shutdown() };
}

/** `ok`, or the code of the first error, as the request log and the metrics say it. */
function outcome(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string {
  return errors?.length ? String(errors[0].extensions?.code ?? 'ERROR') : 'ok';
}

function finish(span: Span, code: string): void {
  span.setAttribute('graphql.outcome', code);
  if (code !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/** The Yoga plugin: the caller's trace context per request, a span per operation. */
export function useTracing({ tracer, shutdown }: Tracing): Plugin {
  const named = ({ document, operationName }: { document: DocumentNode; operationName?: string | null }) => {
    const span = trace.getActiveSpan();
    const operation = getOperationAST(document, operationName);
    if (!span || !operation) return;
    const name = operation.name?.value;
    span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
    span.setAttribute('graphql.operation.type', operation.operation);
    if (name) span.setAttribute('graphql.operation.name', name);
  };
  return {
    instrumentation: {
      request: ({ request }, wrapped) => context.with(propagator.extract(ROOT_CONTEXT, request.headers, headerGetter), wrapped),
      operation: (_payload, wrapped) => {
        const span = tracer.startSpan('graphql', { kind: SpanKind.SERVER });
        return context.with(trace.setSpan(context.active(), span), async () => {
          try {
            await wrapped();
          } catch (error) {
            // Refused before a result existed (credentials, persisted operations, parsing).
            finish(span, error instanceof GraphQLError ? outcome([error]) : 'INTERNAL_SERVER_ERROR');
            throw error;
          } finally {
            span.end();
          }
        });
      },
    },
    onExecute: ({ args }) => named(args),
    onSubscribe: ({ args }) => named(args),
    onExecutionResult({ result }) {
      const span = trace.getActiveSpan();
      if (!span || !result) return;
      finish(span, Symbol.asyncIterator in result ? 'ok' : outcome(result.errors));
    },
    onDispose: shutdown,
  };
}

type Query = (...args: unknown[]) => unknown;

/**
 * Gives every statement sent through `pool` a span under the active one (none when no operation
 * is being traced). Statements carry no values: they are parametrised, so their text is safe to
 * export.
 */
export function traceStatements(pool: pg.Pool, { tracer }: Tracing): void {
  // A client freed by another request hands itself to the next waiting one inside the freeing
  // request's context: the callback is bound to the context that asked for a connection.
  const connect = pool.connect.bind(pool) as (callback?: (...args: unknown[]) => void) => unknown;
  pool.connect = ((callback?: (...args: unknown[]) => void) =>
    callback ? connect(context.bind(context.active(), callback)) : connect()) as typeof pool.connect;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    client.query = ((...args: unknown[]) => {
      const parent = trace.getActiveSpan();
      const first = args[0] as string | { text?: string; submit?: unknown } | undefined;
      if (!parent || first === undefined || (typeof first === 'object' && typeof first.submit === 'function')) return query(...args);
      const text = typeof first === 'string' ? first : (first.text ?? '');
      const span = tracer.startSpan(
        text.slice(0, text.search(/\s|$/)).toUpperCase() || 'SQL',
        { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.query.text': text.slice(0, 4000) } },
        context.active(),
      );
      const end = (error: unknown) => {
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        span.end();
      };
      const callback = args.findIndex((a) => typeof a === 'function');
      if (callback >= 0) {
        const done = args[callback] as (error: unknown, result: unknown) => void;
        args[callback] = (error: unknown, result: unknown) => {
          end(error);
          done(error, result);
        };
        return query(...args);
      }
      return (query(...args) as Promise<unknown>).then(
        (result) => {
          end(undefined);
          return result;
        },
        (error: unknown) => {
          end(error);
          throw error;
        },
      );
    }) as typeof client.query;
  });
}
