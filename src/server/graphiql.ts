// GraphiQL served by the gateway itself, so it works on networks without internet access: the
// page is a few hundred bytes naming the assets of the @graphql-yoga/graphiql package, which the
// gateway serves under a versioned path with immutable caching (a browser fetches the 7 MB once
// per version, compressed when it accepts gzip), instead of Yoga's page that loads them from a CDN.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { ConfigError } from '../config.js';

const PACKAGE = '@graphql-yoga/graphiql';

/** Served name -> file in the package and its content type. (The Dockerfile copies these files.) */
export const GRAPHIQL_ASSETS: Record<string, { file: string; type: string }> = {
  'graphiql.css': { file: 'dist/graphiql.css', type: 'text/css; charset=utf-8' },
  'yoga-graphiql.js': { file: 'dist/yoga-graphiql.umd.js', type: 'text/javascript; charset=utf-8' },
  'editor.worker.js': { file: 'dist/monacoeditorwork/editor.worker.bundle.js', type: 'text/javascript; charset=utf-8' },
  'json.worker.js': { file: 'dist/monacoeditorwork/json.worker.bundle.js', type: 'text/javascript; charset=utf-8' },
  // Named so in the package.
  'graphql.worker.js': { file: 'dist/monacoeditorwork/graphql.worker..bundle.js', type: 'text/javascript; charset=utf-8' },
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  gzipped: Uint8Array<ArrayBuffer>;
  type: string;
}

export interface GraphiQLAssets {
  /** Where the assets are served, e.g. `/graphiql/4.5.0/`. */
  base: string;
  plugin: Plugin;
  render(options: GraphiQLOptions): string;
}

/** The installed package's folder; a ConfigError when it is missing (a production install). */
function packageFolder(): { folder: string; version: string } {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { folder: path.dirname(manifest), version };
  } catch {
    throw new ConfigError([
      `GRAPHIQL=true: ${PACKAGE} is not installed (npm ci installs it; an install without dev dependencies leaves it out: set GRAPHIQL=false)`,
    ]);
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createGraphiQLAssets(): GraphiQLAssets {
  const { folder, version } = packageFolder();
  const base = `/graphiql/${version}/`;
  // Read when first asked for, then kept: a gateway whose GraphiQL nobody opens holds nothing.
  const loaded = new Map<string, Asset>();
  const asset = (name: string): Asset | undefined => {
    const known = GRAPHIQL_ASSETS[name];
    if (!known) return undefined;
    let found = loaded.get(name);
    if (!found) {
      const body = readFileSync(path.join(folder, known.file));
      found = { body: new Uint8Array(body), gzipped: new Uint8Array(gzipSync(body)), type: known.type };
      loaded.set(name, found);
    }
    return found;
  };

  const plugin: Plugin = {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(base) || request.method !== 'GET') return;
      const found = asset(url.pathname.slice(base.length));
      if (!found) {
        endResponse(new fetchAPI.Response('not found\n', { status: 404 }));
        return;
      }
      const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
      const body = gzip ? found.gzipped : found.body;
      endResponse(
        new fetchAPI.Response(body, {
          headers: {
            'content-type': found.type,
            'content-length': String(body.byteLength),
            // The path names the package version: what it serves never changes.
            'cache-control': 'public, max-age=31536000, immutable',
            vary: 'accept-encoding',
            ...(gzip && { 'content-encoding': 'gzip' }),
          },
        }),
      );
    },
  };

  const render = (options: GraphiQLOptions) => {
    const title = escapeHtml(options.title ?? 'GraphiQL');
    // JSON inside <script>: `<` escaped so no value can close the element.
    const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
    const workers = { editorWorkerService: `${base}editor.worker.js`, json: `${base}json.worker.js`, graphql: `${base}graphql.worker.js` };
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="stylesheet" href="${base}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="root">Loading ${title}...</div>
<script>
const workers = ${json(workers)};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] ?? workers.editorWorkerService };
</script>
<script src="${base}yoga-graphiql.js"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${json(options)});</script>
</body>
</html>
`;
  };

  return { base, plugin, render };
}
