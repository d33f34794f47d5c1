// Lint: typescript-eslint's recommended rules on all TypeScript; everything under shared/ (the sim, the
// game layer, kubectl, scenarios, manifests, protocol) gets the determinism rules of the developers'
// guide: no wall clock, no Math.random, no timers or process, no adapter imports (I/O, network,
// database, logging, Colyseus, Phaser). zod and yaml are pure and allowed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node's built-in modules by their bare names (`fs`, `fs/promises`...): the `node:*` pattern covers the prefixed form. */
const NODE_BUILTINS = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'crypto', 'dgram', 'diagnostics_channel', 'dns',
  'events', 'fs', 'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline',
  'repl', 'stream', 'timers', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

/**
 * Plain objects used as maps (developers' guide: untrusted strings never key a plain object). `{}`
 * inherits `__proto__`, `constructor`, `toString`...: `nodes['constructor']` is a function, and
 * `obj['__proto__'] = x` replaces the prototype. These catch an empty `{}` that is declared or cast as a
 * `Record<...>`, or lazily created with `??=` / `||=`; use `new Map()` or `Object.create(null)`.
 * (An empty `{}` inside a larger typed literal, e.g. a SimState store, needs type information and is
 * not caught: those stores are created in shared/sim/create.ts.)
 */
const PLAIN_OBJECT_MAPS = [
  "VariableDeclarator[init.type='ObjectExpression'][init.properties.length=0][id.typeAnnotation.typeAnnotation.typeName.name='Record']",
  "AssignmentPattern[right.type='ObjectExpression'][right.properties.length=0][left.typeAnnotation.typeAnnotation.typeName.name='Record']",
  "TSAsExpression[expression.type='ObjectExpression'][expression.properties.length=0][typeAnnotation.typeName.name='Record']",
  "TSSatisfiesExpression[expression.type='ObjectExpression'][expression.properties.length=0][typeAnnotation.typeName.name='Record']",
  "AssignmentExpression[operator=/^(\\?\\?|\\|\\|)=$/][right.type='ObjectExpression'][right.properties.length=0]",
  "NewExpression[callee.name='Object'][arguments.length=0]",
].map((selector) => ({
  selector,
  message: 'A plain `{}` used as a map inherits `__proto__`, `constructor`, `toString`: use `new Map()` or `Object.create(null)` (untrusted keys).',
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'client/dist/**', 'data/**', 'migrations/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'shared/ is deterministic: use shared/sim/prng.ts (seeded, state.rng).' },
        { object: 'Date', property: 'now', message: 'shared/ has no wall clock: use state.t (sim seconds).' },
        { object: 'performance', property: 'now', message: 'shared/ has no wall clock.' },
        { object: 'crypto', property: 'randomUUID', message: 'shared/ is deterministic: uids come from state.counters (apiserver.ts newUid).' },
        { object: 'crypto', property: 'getRandomValues', message: 'shared/ is deterministic: use shared/sim/prng.ts.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'shared/ has no wall clock: no `new Date` (sim seconds in state.t; RFC 3339 via shared/sim/names.ts simTimestamp).' },
        { selector: "CallExpression[callee.name='Date']", message: 'shared/ has no wall clock: no `Date()`.' },
        ...PLAIN_OBJECT_MAPS,
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'shared/ runs below the adapters: no process (env, exit, hrtime); pass settings in.' },
        { name: 'setTimeout', message: 'shared/ has no wall clock: schedule with shared/sim/timers.ts (sim seconds).' },
        { name: 'setInterval', message: 'shared/ has no wall clock: schedule with shared/sim/timers.ts (sim seconds).' },
        { name: 'setImmediate', message: 'shared/ has no event loop of its own.' },
        { name: 'fetch', message: 'shared/ does no I/O.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'shared/ does no I/O: Node built-ins belong to server/ (adapters).' })),
          patterns: [
            { group: ['node:*', ...NODE_BUILTINS.map((n) => `${n}/*`)], message: 'shared/ does no I/O: Node built-ins belong to server/ (adapters).' },
            { group: ['colyseus', 'colyseus.js', '@colyseus/*'], message: 'shared/ is transport-free: Colyseus belongs to server/rooms and client/.' },
            { group: ['pino', 'pino-*'], message: 'shared/ does not log: return data, let the adapter log it.' },
            { group: ['fastify', 'fastify-*', '@fastify/*'], message: 'shared/ has no HTTP: Fastify belongs to server/http.' },
            { group: ['drizzle-orm', 'drizzle-orm/*', 'drizzle-kit', 'pg', 'pg-*', '@electric-sql/*', 'ioredis', 'redis'], message: 'shared/ has no database: storage belongs to server/db.' },
            { group: ['phaser', 'phaser/*'], message: 'shared/ has no rendering: Phaser belongs to client/.' },
            { group: ['vite', 'vite/*', 'playwright-core', 'playwright-core/*'], message: 'shared/ is runtime code: no build or browser tooling.' },
            { group: ['**/server/**', '**/client/**', '../../server/*', '../../client/*', '../server/*', '../client/*'], message: 'shared/ may not import the adapters (server/, client/).' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...PLAIN_OBJECT_MAPS] },
  },
);
