// The direction of the arrows between the folders of src/, checked by `npm run check`: each group
// below may import only the groups after it (and itself), so no folder imports one that imports
// it back, and the kernel imports no domain. Nor may any two modules import each other in a loop.
const LAYERS = [
  // Entry: what starts the gateway, serves it and assembles its schema.
  ['main.ts'],
  ['server/'],
  ['rest/'],
  ['print-schema.ts'],
  ['schema.ts'],
  ['observability/'],
  // Domains: the writes (rules, mutations, payloads) and the context tree as it is read.
  ['customers/'],
  ['tasks/'],
  ['states/'],
  ['services/'],
  ['context-tree/'],
  // Shared rules.
  ['lifecycle/'],
  ['extensions/'],
  ['identification/'],
  ['business-attributes/'],
  // Engines: the read compiler and live context.
  ['tree/'],
  ['events/'],
  // Kernel: the builder, authentication, the database, and what everything reads.
  ['graphql/'],
  ['auth/'],
  ['db/'],
  ['generated/'],
  ['config.ts', 'logger.ts', 'paths.ts', 'per-request.ts'],
];

const pattern = (entries) => `^src/(${entries.map((e) => e.replace('.', '\\.')).join('|')})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...LAYERS.slice(1).map((layer, i) => ({
      name: `no-import-up-from-${layer[0].replace(/[/.]/g, '')}`,
      comment: `${layer.join(', ')} may import only what stands after it in .dependency-cruiser.cjs`,
      severity: 'error',
      from: { path: pattern(layer) },
      to: { path: pattern(LAYERS.slice(0, i + 1).flat()) },
    })),
    {
      name: 'no-circular',
      comment: 'modules importing each other in a loop',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unlayered-module',
      comment: 'every file of src/ belongs to a group of .dependency-cruiser.cjs, so that its arrows are checked',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: pattern(LAYERS.flat()) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/generated/' },
  },
};
