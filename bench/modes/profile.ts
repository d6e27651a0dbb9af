// --profile: a CPU profile (node --cpu-prof) of one server, the gateway by default, under each
// selected workload (W1 by default) at the highest connection count, ranked by self time.
import { copyFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { registerExtensionSchemas } from '../extension-schemas.js';
import { runRound } from '../load.js';
import { type CpuProfile, type ProfileSummary, profileMarkdown, topFrames } from '../profile.js';
import type { ServerDeclaration } from '../servers/server.js';
import { overHttp } from '../verify.js';
import type { Mode, ModeResult, RunContext } from './mode.js';

const profiled = (server: ServerDeclaration, dir: string): ServerDeclaration => ({
  ...server,
  command(environment) {
    const command = server.command(environment);
    return { ...command, args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...command.args] };
  },
});

async function run(context: RunContext): Promise<ModeResult> {
  const { settings, environment, log, problems } = context;
  const name = (context.args['profile-server'] as string | undefined) ?? context.servers.find((s) => s.role === 'gateway')?.name;
  const server = context.servers.find((s) => s.name === name);
  if (!server) throw new Error(`--profile-server ${name}: not among the run's servers (${context.servers.map((s) => s.name).join(', ')})`);
  await server.prepare?.(environment);
  const sections: string[] = [];
  const summaries: Record<string, ProfileSummary> = {};
  const connections = Math.max(...settings.connections);
  let schemasRegistered = false;
  for (const workload of context.workloads) {
    const exchange = server.exchange(workload);
    if (!exchange) continue;
    const profileDir = path.join(context.dir, `profile-${workload.name}`);
    const running = await context.start(profiled(server, profileDir));
    if (!schemasRegistered) {
      await registerExtensionSchemas(server.role === 'gateway' ? overHttp(running.url) : undefined, environment.databaseUrl);
      schemasRegistered = true;
    }
    const contender = { name: server.name, url: running.url, pid: running.pid, exchange };
    const common = { workload, contender, connections, postmasterPid: context.postmasterPid };
    log(`profiling ${server.name} under ${workload.name} at ${connections} connections for ${settings.duration} s`);
    if (settings.warmup > 0) await runRound({ ...common, seconds: settings.warmup, seed: 'profile:warmup', cycle: 0 });
    const from = Number(process.hrtime.bigint() / 1000n);
    const round = await runRound({ ...common, seconds: settings.duration, seed: 'profile', cycle: 1 });
    const to = Number(process.hrtime.bigint() / 1000n);
    await running.stop();
    if (round.errors) problems.push(`${workload.name} profile round: ${round.errors} failed requests ${JSON.stringify(round.errorDetail)}`);
    const file = (await readdir(profileDir)).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`${server.name} wrote no CPU profile into ${profileDir}`);
    const kept = path.join(context.resultsDir, `${context.stamp}-${server.name}-${workload.name}.cpuprofile`);
    await copyFile(path.join(profileDir, file), kept);
    const summary = topFrames(JSON.parse(await readFile(kept, 'utf8')) as CpuProfile, from, to, environment.root);
    summaries[workload.name] = summary;
    sections.push(
      profileMarkdown(
        summary,
        `${server.title}, ${workload.name}, ${connections} connections, ${Math.round(round.rps)} req/s (profiling slows the server)`,
      ),
      '',
      `Full profile: \`${kept}\` (open it in Chrome DevTools > Performance or speedscope).`,
      '',
    );
  }
  return { markdown: sections.join('\n'), json: { profiles: summaries } };
}

export const profile: Mode = {
  name: 'profile',
  flag: 'profile',
  help: `  --profile             CPU-profile one server (--profile-server, the gateway by default) under W1 (or --workloads)
  --profile-server NAME the server to profile`,
  options: { profile: { type: 'boolean', default: false }, 'profile-server': { type: 'string' } },
  defaultWorkloads: ['W1'],
  run,
};
