import { applyEnvOverrides } from './env-overrides.js';
import { isPlainObject, type PlainObject } from './object-path.js';

/** Objects merge recursively; arrays and scalars replace; `undefined` keeps the base value. */
export function deepMerge(base: PlainObject, override: PlainObject): PlainObject {
  const result = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined || key === '__proto__') continue;
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result;
}

/** Effective settings: defaults < stored (kernel.json) < environment overrides. */
export function resolveSettings(
  defaults: PlainObject,
  stored: PlainObject,
  env: Record<string, string | undefined> = process.env,
): PlainObject {
  return applyEnvOverrides(deepMerge(defaults, stored), env);
}
