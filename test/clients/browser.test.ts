// The gateway in a real headless Chromium (Debian's `chromium`, driven by playwright-core) on a
// network without internet: every request that would leave the machine is refused and recorded.
// GraphiQL must render from the gateway's own assets and run what is typed into it, and a page
// of another origin must get through a real CORS preflight with the headers browser SDKs add.
// Skipped where no Chromium is installed, except under CI=true, where it must run.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Screenshots land here for a person to look at (git-ignored).
const SCREENSHOTS = path.join(PROJECT_ROOT, 'tmp', 'browser');

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('in a real browser, offline', () => {
  let t: TestGateway;
  let gatewayServer: Server;
  let frontendServer: Server;
  let gatewayUrl: string;
  let frontendUrl: string;
  let browser: Browser;
  /** Requests the gateway received, as `METHOD path`. */
  const received: string[] = [];
  /** Requests the browser tried to send off the machine (all refused). */
  const offMachine: string[] = [];

  beforeAll(async () => {
    // The frontend is another origin: a port of its own (the gateway is reached as localhost).
    frontendServer = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>desk</title><p>desk</p>'),
    );
    frontendUrl = await listen(frontendServer);
    t = await createTestGateway({ CORS_ORIGINS: frontendUrl, CORS_ALLOW_HEADERS: 'x-desk-version' });
    gatewayServer = createServer((request: IncomingMessage, response) => {
      received.push(`${request.method} ${request.url}`);
      t.gateway(request, response);
    });
    gatewayUrl = (await listen(gatewayServer)).replace('127.0.0.1', 'localhost');
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([gatewayServer && close(gatewayServer), frontendServer && close(frontendServer)]);
    await t?.close();
  });

  /**
   * A page whose requests off the machine are refused and recorded. Playwright answers CORS
   * preflights of routed requests itself, so a page that checks CORS is not routed (`offline`
   * false); it asks for nothing but the loopback servers.
   */
  async function newPage({ offline }: { offline: boolean }): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (!offline) return page;
    await page.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === 'localhost' || hostname === '127.0.0.1') return route.continue();
      offMachine.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    return page;
  }

  it('renders GraphiQL from the gateway, runs a typed query and shows its result', async () => {
    await t.ok(
      'mutation { createCustomer(input: { customerId: "C-42", attributes: { FirstName: "Marie" } }) { customer { customerId } } }',
    );
    const page = await newPage({ offline: true });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    received.length = 0;
    await page.goto(`${gatewayUrl}/graphql`);
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'graphiql-loaded.png') });

    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('query Caller { customer(customerId: "C-42") { customerId attributes } }');
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => response.innerText(), { timeout: 15_000 }).toContain('Marie');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'graphiql-result.png') });

    expect(errors).toEqual([]);
    expect(offMachine).toEqual([]);
    // The assets came from the gateway, under its versioned path.
    expect(received.filter((r) => r.startsWith('GET /graphiql/'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/yoga-graphiql\.js$/), expect.stringMatching(/graphiql\.css$/)]),
    );
    expect(received).toContain('POST /graphql');
    await page.close();
  });

  it('runs a subscription typed into GraphiQL and shows the events as they come', async () => {
    const page = await newPage({ offline: true });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${gatewayUrl}/graphql`);
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor({ timeout: 20_000 });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('subscription Follow { contextEvents(customerId: "C-77") { type customerId serviceId } }');
    await page.locator('.graphiql-execute-button').click();
    // Subscribed once the gateway holds the stream open; then a desk starts a service for C-77.
    await expect.poll(() => received.filter((r) => r === 'POST /graphql').length, { timeout: 15_000 }).toBeGreaterThan(0);
    const response = page.locator('.graphiql-response');
    await expect
      .poll(
        async () => {
          await t.ok('mutation { startService(input: { customerId: "C-77" }) { service { serviceId } } }');
          return response.innerText();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain('SERVICE_STARTED');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'graphiql-subscription.png') });
    expect(await response.innerText()).toContain('C-77');
    expect(errors).toEqual([]);
    expect(offMachine).toEqual([]);
    await page.close();
  });

  it('serves the assets compressed and immutable, and the page small', async () => {
    const page = await fetch(`${gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html.length).toBeLessThan(2000);
    const script = /src="([^"]+yoga-graphiql\.js)"/.exec(html)![1];
    const asset = await fetch(`${gatewayUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${gatewayUrl}${script.replace('yoga-graphiql.js', 'package.json')}`)).status).toBe(404);
  });

  it('lets a page of an allowed origin through a real preflight with trace, Sentry and Apollo headers', async () => {
    const page = await newPage({ offline: false });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(frontendUrl);
    received.length = 0;
    const call = (headers: Record<string, string>) =>
      page.evaluate(
        async ({ url, headers }) => {
          try {
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...headers },
              body: JSON.stringify({ query: '{ __typename }' }),
            });
            return { status: response.status, body: await response.json(), requestId: response.headers.get('x-request-id') };
          } catch (error) {
            return { error: String(error) };
          }
        },
        { url: `${gatewayUrl}/graphql`, headers },
      );
    const allowed = await call({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=value',
      baggage: 'desk=agent-7',
      'sentry-trace': '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1',
      'apollographql-client-name': 'agent-desk',
      'apollographql-client-version': '1.2.3',
      'x-desk-version': '7',
    });
    expect(allowed).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } }, requestId: expect.any(String) });
    expect(received).toEqual(['OPTIONS /graphql', 'POST /graphql']);

    // A header nobody allowed: Chromium refuses the call after the preflight, the POST never leaves.
    received.length = 0;
    expect(await call({ 'x-unexpected': '1' })).toEqual({ error: expect.stringMatching(/Failed to fetch/) });
    expect(received).toEqual(['OPTIONS /graphql']);
    expect(requested.filter((url) => !url.startsWith(frontendUrl) && !url.startsWith(gatewayUrl))).toEqual([]);
    await page.close();
  });
});
