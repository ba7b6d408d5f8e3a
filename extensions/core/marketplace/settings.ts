/** Where the marketplace reads from and what it trusts, from the extension's settings with the bundled registry as default. */
import { resolve } from 'node:path';
import { bundledRegistry } from '../../../marketplace/client/bundled-registry.js';

export interface MarketSettings {
  mirrors: string[];
  trustedKeys: string[];
  timeoutMs: number;
  /** Why the registry will show as untrusted, when no key could be found. */
  trustWarning: string | null;
}

const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : []);

/**
 * `ctx.dataDir` is `<data>/extension-data/langbot.marketplace`; the installer works on the data root two levels up
 * (`<data>/extensions`, `<data>/market`), the same folders the kernel and `langbot market` use.
 */
export const dataRootOf = (extensionDataDir: string) => resolve(extensionDataDir, '..', '..');

export async function readSettings(config: Readonly<Record<string, unknown>>): Promise<MarketSettings> {
  const mirrors = strings(config.mirrors);
  let trustedKeys = strings(config.trustedKeys);
  let trustWarning: string | null = null;
  // The kernel sets LANGBOT_HOME to the installation it runs from.
  const bundled = bundledRegistry(process.env.LANGBOT_HOME ?? process.cwd());
  if (trustedKeys.length === 0) {
    if (bundled.key) trustedKeys = [bundled.key];
    else trustWarning = `No trusted registry key: ${bundled.keyFile} is missing and the marketplace settings list no trustedKeys, so no registry index can be verified.`;
  }
  const seconds = Number(config.timeoutSeconds ?? 10);
  return {
    mirrors: mirrors.length > 0 ? mirrors : [bundled.dir],
    trustedKeys,
    timeoutMs: Math.max(1, Number.isFinite(seconds) ? seconds : 10) * 1000,
    trustWarning,
  };
}
