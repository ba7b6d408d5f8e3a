/**
 * A bot's adapter config is checked against the adapter's config form (defaults filled in, errors named by path),
 * shown with secrets masked, and a masked secret sent back means "keep the stored one".
 */
import { RpcError, RpcErrorCode, redactConfig, secretKeys, validateConfig } from '@langbot-ts/sdk';
import type { AdapterCatalog } from './adapters.js';

export const SECRET_MASK = '******';

type Config = Record<string, unknown>;

function restoreMasked(keys: string[], incoming: Config, stored: Config | undefined): Config {
  if (!stored) return incoming;
  const copy = structuredClone(incoming);
  for (const key of keys) {
    if (key.includes('*')) continue;
    const path = key.split('.');
    let into: Record<string, unknown> | undefined = copy;
    let from: Record<string, unknown> | undefined = stored;
    for (const segment of path.slice(0, -1)) {
      into = into?.[segment] as Record<string, unknown> | undefined;
      from = from?.[segment] as Record<string, unknown> | undefined;
    }
    const last = path[path.length - 1];
    if (into && from && into[last] === SECRET_MASK && last in from) into[last] = from[last];
  }
  return copy;
}

export async function checkAdapterConfig(catalog: AdapterCatalog, adapter: string, config: Config, stored?: Config): Promise<Config> {
  const declared = await catalog.find(adapter);
  if (!declared) {
    const known = (await catalog.names()).join(', ') || 'none';
    throw new RpcError(RpcErrorCode.ValidationFailed, `No adapter '${adapter}' is installed (available: ${known}).`, { adapter });
  }
  if (!declared.config) return config;
  const value = restoreMasked(secretKeys(declared.config), config, stored);
  const checked = validateConfig(declared.config, value, 'adapter_config');
  if (!checked.ok) {
    const issues = checked.errors.map((e) => ({ path: `adapter_config${e.path.replace(/\//g, '.')}`, message: e.message }));
    throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid adapter_config for '${adapter}': ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { adapter, issues });
  }
  return checked.value;
}

/** The config as stored, with defaults filled in where the form allows; unchanged when it no longer validates. */
export async function effectiveAdapterConfig(catalog: AdapterCatalog, adapter: string, config: Config): Promise<Config> {
  const form = (await catalog.find(adapter))?.config;
  if (!form) return config;
  const checked = validateConfig(form, config, 'adapter_config');
  return checked.ok ? checked.value : config;
}

export async function maskAdapterConfig(catalog: AdapterCatalog, adapter: string, config: Config): Promise<Config> {
  const form = (await catalog.find(adapter).catch(() => undefined))?.config;
  return form ? (redactConfig(form, config, SECRET_MASK) as Config) : config;
}
