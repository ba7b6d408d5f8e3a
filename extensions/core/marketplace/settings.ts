/** Where the marketplace reads from and what it trusts, from the extension's settings with the bundled registry as default. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface MarketSettings {
  mirrors: string[];
  trustedKeys: string[];
  timeoutMs: number;
  /** Why the registry will show as untrusted, when no key could be found. */
  trustWarning: string | null;
}

const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : []);

/** The registry that ships with this installation (generated from marketplace/samples). */
export const bundledRegistry = () => join(process.env.LANGBOT_HOME ?? process.cwd(), 'marketplace', 'registry');

/**
 * `ctx.dataDir` is `<data>/extension-data/langbot.marketplace`; the installer works on the data root two levels up
 * (`<data>/extensions`, `<data>/market`), the same folders the kernel and `langbot market` use.
 */
export const dataRootOf = (extensionDataDir: string) => resolve(extensionDataDir, '..', '..');

export async function readSettings(config: Readonly<Record<string, unknown>>): Promise<MarketSettings> {
  const mirrors = strings(config.mirrors);
  let trustedKeys = strings(config.trustedKeys);
  let trustWarning: string | null = null;
  if (trustedKeys.length === 0) {
    const file = join(bundledRegistry(), 'registry.pub');
    const key = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (key) trustedKeys = [key];
    else trustWarning = `No trusted registry key: ${file} is missing and the marketplace settings list no trustedKeys, so no registry index can be verified.`;
  }
  const seconds = Number(config.timeoutSeconds ?? 10);
  return {
    mirrors: mirrors.length > 0 ? mirrors : [bundledRegistry()],
    trustedKeys,
    timeoutMs: Math.max(1, Number.isFinite(seconds) ? seconds : 10) * 1000,
    trustWarning,
  };
}
