// OpenTelemetry: spans exported over OTLP/HTTP to a loopback receiver, continuing the caller's
// W3C traceparent; a span per operation, one per SQL statement under it; nothing without an endpoint.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number; message?: string };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const traceparent = (spanId = CALLER_SPAN) => ({ traceparent: `00-${TRACE_ID}-${spanId}-01` });

const attribute = (span: ExportedSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let receiver: Server;
  let endpoint: string;
  const spans: ExportedSpan[] = [];
  const paths: string[] = [];
  let serviceNames: unknown[] = [];
  let t: TestGateway;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        paths.push(request.url!);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resourceSpans of body.resourceSpans) {
          serviceNames = resourceSpans.resource.attributes
            .filter((a: any) => a.key === 'service.name')
            .map((a: any) => a.value.stringValue);
          for (const scope of resourceSpans.scopeSpans) spans.push(...scope.spans);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    t = await createTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'desk-gateway' });
    await t.ok('mutation { createCustomer(input: { customerId: "C-1" }) { customer { customerId } } }');

    await t.gql('query Caller { customer(customerId: "C-1") { customerId services { totalCount } } }', {}, traceparent());
    await t.gql(
      'mutation Start($input: StartServiceInput!) { startService(input: $input) { service { serviceId } } }',
      { input: { customerId: 'C-1' } },
      traceparent('1111111111111111'),
    );
    await t.gql(
      'mutation Broken { startService(input: { customerId: "C-1", estDuration: -5 }) { service { serviceId } } }',
      {},
      traceparent('2222222222222222'),
    );
    // Flushes what the batch holds, as a gateway does when it stops.
    await t.gateway.dispose();
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const operation = (name: string) => spans.find((s) => attribute(s, 'graphql.operation.name') === name)!;
  const children = (span: ExportedSpan) => spans.filter((s) => s.parentSpanId === span.spanId);

  it('exports over OTLP/HTTP to <endpoint>/v1/traces, under OTEL_SERVICE_NAME', () => {
    expect(new Set(paths)).toEqual(new Set(['/v1/traces']));
    expect(serviceNames).toEqual(['desk-gateway']);
  });

  it("gives each operation a span in the caller's trace, named by type and name, with its outcome", () => {
    const caller = operation('Caller');
    expect(caller).toMatchObject({ traceId: TRACE_ID, parentSpanId: CALLER_SPAN, name: 'query Caller', kind: 2 });
    expect(attribute(caller, 'graphql.operation.type')).toBe('query');
    expect(attribute(caller, 'graphql.outcome')).toBe('ok');
    const start = operation('Start');
    expect(start).toMatchObject({ traceId: TRACE_ID, parentSpanId: '1111111111111111', name: 'mutation Start' });
    expect(attribute(start, 'graphql.outcome')).toBe('ok');
    const broken = operation('Broken');
    expect(attribute(broken, 'graphql.outcome')).toBe('BAD_USER_INPUT');
    expect(broken.status).toMatchObject({ code: 2, message: 'BAD_USER_INPUT' });
  });

  it('gives each SQL statement an operation sent a child span with its text, and no values', () => {
    const reads = children(operation('Caller'));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]).toMatchObject({ traceId: TRACE_ID, kind: 3, name: 'SELECT' });
    expect(attribute(reads[0], 'db.system.name')).toBe('postgresql');
    expect(String(attribute(reads[0], 'db.query.text'))).toMatch(/^SELECT /);
    const writes = children(operation('Start'));
    expect(writes.map((s) => String(attribute(s, 'db.query.text'))).join('\n')).toMatch(/INSERT INTO service/i);
    expect(JSON.stringify(writes)).not.toContain('C-1');
  });

  it('starts a trace of its own for a caller that sends no traceparent', async () => {
    const other = await createTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, t.databaseUrl);
    try {
      await other.ok('query Alone { customer(customerId: "C-1") { customerId } }');
      await other.gateway.dispose();
    } finally {
      await other.close();
    }
    const alone = operation('Alone');
    expect(alone.traceId).not.toBe(TRACE_ID);
    expect(alone.parentSpanId ?? '').toBe('');
    expect(children(alone).length).toBeGreaterThan(0);
  });
});

describe('tracing without an endpoint', () => {
  it('adds no plugin and leaves the pool untouched', async () => {
    const t = await createTestGateway();
    try {
      expect(t.db.pool.listenerCount('connect')).toBe(1); // the test gateway's own statement recorder
      expect(Object.hasOwn(t.db.pool, 'connect')).toBe(false);
      expect(t.gateway.getEnveloped().schema).toBeDefined();
    } finally {
      await t.close();
    }
  });
});
