/** The registry that ships with an installation (`<home>/marketplace/registry`, built from marketplace/samples). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BundledRegistry {
  /** The folder, used as the default mirror. */
  dir: string;
  /** Its registry.pub, trusted by default. */
  keyFile: string;
  /** The key in that file, or null when it is missing. */
  key: string | null;
}

export function bundledRegistry(home: string): BundledRegistry {
  const dir = join(home, 'marketplace', 'registry');
  const keyFile = join(dir, 'registry.pub');
  const key = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() || null : null;
  return { dir, keyFile, key };
}
