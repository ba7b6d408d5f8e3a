import { setPath, type PlainObject } from './object-path.js';

type Env = Record<string, string | undefined>;

/** `LANGBOT__HTTP__PORT=8080` → `[['http', 'port'], 8080]`, shallower keys first so deeper ones win. */
function overrides(env: Env): Array<[string[], unknown]> {
  return Object.keys(env)
    .filter((name) => name.startsWith('LANGBOT__') && env[name] !== undefined)
    .sort()
    .map((name): [string[], unknown] => [name.slice(9).toLowerCase().split('__'), parseValue(env[name]!)])
    .filter(([path]) => !path.includes(''));
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Returns a new settings object with every `LANGBOT__SECTION__KEY=value` applied; never mutates `settings`. */
export function applyEnvOverrides(settings: PlainObject, env: Env = process.env): PlainObject {
  return overrides(env).reduce((acc, [path, value]) => setPath(acc, path, value), settings);
}

/** Dotted setting keys overridden by the environment, e.g. `['http.port']` (for `doctor`). */
export function envOverrideKeys(env: Env = process.env): string[] {
  return overrides(env).map(([path]) => path.join('.'));
}
