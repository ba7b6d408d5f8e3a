// Bundles sdk/cli/main.ts into sdk/dist/cli.mjs (packages stay imports, resolved from the checkout's node_modules).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const sdk = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
const sources = `${sdk}cli`;

/** True when the bundle is missing or older than a file of sdk/cli/. */
export function cliIsStale() {
  if (!existsSync(CLI_BUNDLE)) return true;
  const built = statSync(CLI_BUNDLE).mtimeMs;
  return readdirSync(sources).some((name) => statSync(`${sources}/${name}`).mtimeMs > built);
}

export async function buildCli() {
  const { build } = await import('esbuild');
  // Built beside and renamed into place, so a concurrent run never imports half a file.
  const temp = `${CLI_BUNDLE}.${process.pid}.tmp.mjs`;
  try {
    await build({
      entryPoints: [`${sources}/main.ts`],
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    await rename(temp, CLI_BUNDLE);
  } finally {
    await rm(temp, { force: true });
  }
}
