// The gateway as built from another commit (--baseline REF), so that a change's cost is measured
// against what came before, in the same rounds. The commit is checked out in a temporary git
// worktree; it shares this checkout's node_modules when its package-lock.json is the same, and
// installs its own otherwise (offline from npm's cache when it can).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { gatewayServer } from './servers/gateway.js';
import type { ServerDeclaration } from './servers/server.js';

export interface Baseline {
  server: ServerDeclaration;
  /** The commit it was built from, short. */
  commit: string;
  remove(): void;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}`);
}

export function buildBaseline(ref: string, root: string, dir: string, log: (line: string) => void): Baseline {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--short', `${ref}^{commit}`);
  const checkout = path.join(dir, `baseline-${commit}`);
  log(`building the gateway at ${ref} (${commit}) in ${checkout}`);
  git('worktree', 'add', '--detach', checkout, commit);
  const remove = () => git('worktree', 'remove', '--force', checkout);
  try {
    const lock = (folder: string) => readFileSync(path.join(folder, 'package-lock.json'), 'utf8');
    if (lock(checkout) === lock(root)) symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'));
    else run('npm', ['ci', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], checkout);
    run('npm', ['run', '--silent', 'generate'], checkout);
    run('npm', ['run', '--silent', 'build'], checkout);
  } catch (error) {
    remove();
    throw error;
  }
  return { server: gatewayServer({ name: `gateway@${commit}`, title: `gateway at ${commit}`, dir: checkout }), commit, remove };
}
