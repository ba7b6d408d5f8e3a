import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installation root (where package.json, extensions/ and manifests/ live), from source or from dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'langbot-ts') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the LangBot TS installation root (package.json named langbot-ts).');
    dir = parent;
  }
}

export const REPO_ROOT = findRoot();
