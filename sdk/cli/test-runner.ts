/** `langbot-ext test`: the project's *.test.ts with vitest, `@langbot-ts/sdk` resolved to this SDK wherever the project is. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from './errors.js';
import { REPO_NODE_MODULES, SDK_ROOT } from './paths.js';

/** `@langbot-ts/sdk` → sdk/index.ts and `@langbot-ts/sdk/<sub>` → sdk/<sub>/index.ts. */
export const sdkAliases = () => [
  { find: /^@langbot-ts\/sdk$/, replacement: join(SDK_ROOT, 'index.ts') },
  { find: /^@langbot-ts\/sdk\/([\w-]+)$/, replacement: join(SDK_ROOT, '$1', 'index.ts') },
];

/** Runs the tests once (or watching) and resolves with the exit code vitest chose. */
export async function runTests(dir: string, options: { filters?: string[]; watch?: boolean } = {}): Promise<number> {
  dir = resolve(dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a folder.`);
  const { startVitest } = await import('vitest/node');
  const cacheDir = join(tmpdir(), 'langbot-ext-vite', createHash('sha256').update(dir).digest('hex').slice(0, 12));
  // Kernels started by tests bundle their worker runtime and extensions into the temp folder, and some built-in
  // extensions resolve packages (sql.js) from there at run time: a temp folder inside the checkout lets them find
  // its node_modules wherever the project lives.
  process.env.TMPDIR = join(REPO_NODE_MODULES, '.cache', 'langbot-ext-tmp');
  mkdirSync(process.env.TMPDIR, { recursive: true });
  const previous = process.exitCode;
  process.exitCode = 0;
  const vitest = await startVitest(
    'test',
    options.filters ?? [],
    {
      root: dir,
      run: !options.watch,
      watch: Boolean(options.watch),
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**', '**/.*/**'],
      // Each test file gets its own process: kernels started by the chat harness never share state.
      pool: 'forks',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // Extension bundles are loaded by Node itself, as in production, not re-processed by vitest.
      server: { deps: { external: [/langbot-test-bundles\//, /\.cache\/bundles\//] } },
    },
    {
      resolve: { alias: sdkAliases() },
      // Vite's cache lives outside the project, so running tests leaves nothing behind in it.
      cacheDir,
    },
  );
  if (options.watch) return new Promise(() => {});
  await vitest.close();
  const code = Number(process.exitCode ?? 0);
  process.exitCode = previous;
  return code;
}
