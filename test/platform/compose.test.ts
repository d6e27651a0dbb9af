// The compose files, as Docker Compose reads them: `docker-compose config` validates and merges
// them without an engine (Debian's docker-compose; CI installs it, so there it never skips).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';

const available = (() => {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The merged configuration of `files`, or the error compose prints. */
function composeConfig(files: string[], env: Record<string, string> = {}): string {
  const { METRICS_TOKEN: _ignored, ...inherited } = process.env;
  return execFileSync('docker-compose', [...files.flatMap((f) => ['-f', f]), 'config'], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The gateway's environment in a printed configuration, as name -> value. */
function gatewayEnvironment(config: string): Record<string, string> {
  const section = config.slice(config.indexOf('  gateway:'));
  const environment = section.slice(section.indexOf('    environment:\n') + 17);
  const entries: [string, string][] = [];
  for (const line of environment.split('\n')) {
    const match = /^ {6}([A-Z_]+): (.*)$/.exec(line);
    if (!match) break;
    entries.push([match[1], match[2].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1')]);
  }
  return Object.fromEntries(entries);
}

describe.skipIf(!available && process.env.CI !== 'true')('docker-compose files', () => {
  it('lets a frontend on a local dev server call the local gateway from the browser', () => {
    const environment = gatewayEnvironment(composeConfig(['docker-compose.yml']));
    expect(environment.CORS_ORIGINS.split(',')).toEqual(expect.arrayContaining(['http://localhost:5173', 'http://localhost:3000']));
  });

  it('closes cross-origin access again in production, and wants a metrics token', () => {
    const files = ['docker-compose.yml', 'docker-compose.production.yml'];
    expect(() => composeConfig(files)).toThrow(/METRICS_TOKEN/);
    const environment = gatewayEnvironment(composeConfig(files, { METRICS_TOKEN: 'a-scrape-token-of-some-length' }));
    expect(environment).toMatchObject({ NODE_ENV: 'production', AUTH_MODE: 'jwt', CORS_ORIGINS: '', PERSISTED_OPERATIONS: 'only' });
    expect(environment.JWT_JWKS_URL).toMatch(/^https:\/\//);
  });
});
