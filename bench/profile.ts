// Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time, counting only the
// samples taken while the load ran, so start-up (module loading, schema building) stays out.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  name: string;
  location: string;
  selfMs: number;
  /** Share of the busy time (samples outside idle) of the window. */
  share: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  top: Frame[];
  /** Self time grouped by where the code lives: an npm package, a gateway folder, Node, native. */
  byOwner: { owner: string; selfMs: number; share: number }[];
}

/** A short location: repository-relative path or `package/path` inside node_modules. */
function shorten(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  return path.startsWith(root) ? path.slice(root.length).replace(/^\//, '') : path;
}

/** `graphql`, `@whatwg-node/server`, `gateway src/tree`, `node`, or `native` for frames without code. */
function owner(frame: CallFrame, root: string): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : 'native';
  if (frame.url.startsWith('node:')) return 'node';
  const path = shorten(frame.url, root);
  if (frame.url.includes('/node_modules/'))
    return path
      .split('/')
      .slice(0, path.startsWith('@') ? 2 : 1)
      .join('/');
  const [first, second, third] = path.split('/');
  return first === 'dist' ? `gateway ${second}/${third}` : `gateway ${first}/${second}`;
}

/**
 * Top `count` frames by self time among the samples whose timestamps (microseconds on the
 * monotonic clock that `process.hrtime` also reads) fall inside [fromUs, toUs].
 */
export function topFrames(profile: CpuProfile, fromUs: number, toUs: number, root: string, count = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, { frame: CallFrame; us: number }>();
  let time = profile.startTime;
  let windowUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < fromUs || time > toUs) continue;
    // A sample stands for the interval until the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = byId.get(profile.samples[i])!;
    windowUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}|${frame.columnNumber}`;
    const entry = self.get(key) ?? { frame, us: 0 };
    entry.us += us;
    self.set(key, entry);
  }
  const busyUs = windowUs - idleUs;
  const top = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map(({ frame, us }) => ({
      name: frame.functionName || '(anonymous)',
      location: frame.url ? `${shorten(frame.url, root)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : '',
      selfMs: us / 1000,
      share: busyUs ? us / busyUs : 0,
    }));
  const owners = new Map<string, number>();
  for (const { frame, us } of self.values()) owners.set(owner(frame, root), (owners.get(owner(frame, root)) ?? 0) + us);
  const byOwner = [...owners]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ owner: name, selfMs: us / 1000, share: busyUs ? us / busyUs : 0 }));
  return { windowMs: windowUs / 1000, busyMs: busyUs / 1000, top, byOwner };
}

export function profileMarkdown(summary: ProfileSummary, title: string): string {
  const lines = [
    `### ${title}`,
    '',
    `Samples during the load: ${(summary.windowMs / 1000).toFixed(1)} s, of which busy ${(summary.busyMs / 1000).toFixed(1)} s (the rest idle).`,
    '',
    '| # | self ms | % of busy | function | location |',
    '|---:|---:|---:|---|---|',
    ...summary.top.map((f, i) => `| ${i + 1} | ${f.selfMs.toFixed(0)} | ${(f.share * 100).toFixed(1)} | \`${f.name}\` | ${f.location} |`),
    '',
    'Self time by where the code lives (the top 12):',
    '',
    '| owner | self ms | % of busy |',
    '|---|---:|---:|',
    ...summary.byOwner.slice(0, 12).map((o) => `| ${o.owner} | ${o.selfMs.toFixed(0)} | ${(o.share * 100).toFixed(1)} |`),
  ];
  return lines.join('\n');
}
