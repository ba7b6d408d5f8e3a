import { describe, expect, it } from 'vitest';
import { applyEnvOverrides, envOverrideKeys } from '../../kernel/config/env-overrides.js';
import { deepMerge, resolveSettings } from '../../kernel/config/settings.js';

describe('applyEnvOverrides', () => {
  it('maps LANGBOT__SECTION__KEY to settings.section.key, lower-casing segments', () => {
    const result = applyEnvOverrides({}, { LANGBOT__HTTP__PORT: '8080', LANGBOT__LOG__FILE__PATH: '/var/log/lb' });
    expect(result).toEqual({ http: { port: 8080 }, log: { file: { path: '/var/log/lb' } } });
  });

  it('parses values as JSON when they parse, otherwise keeps strings', () => {
    const result = applyEnvOverrides(
      {},
      {
        LANGBOT__A__NUM: '1.5',
        LANGBOT__A__BOOL: 'false',
        LANGBOT__A__LIST: '["x","y"]',
        LANGBOT__A__OBJ: '{"k":1}',
        LANGBOT__A__STR: 'hello world',
        LANGBOT__A__QUOTED: '"42"',
      },
    );
    expect(result).toEqual({
      a: { num: 1.5, bool: false, list: ['x', 'y'], obj: { k: 1 }, str: 'hello world', quoted: '42' },
    });
  });

  it('keeps sibling keys and ignores unrelated or malformed variables', () => {
    const settings = { http: { host: '0.0.0.0', port: 80 } };
    const result = applyEnvOverrides(settings, {
      LANGBOT__HTTP__PORT: '9000',
      PATH: '/usr/bin',
      LANGBOT_HTTP_PORT: '1',
      LANGBOT____X: '1',
    });
    expect(result).toEqual({ http: { host: '0.0.0.0', port: 9000 } });
  });

  it('applies a deeper key after a shallower one, replacing a scalar with an object', () => {
    const result = applyEnvOverrides({}, { LANGBOT__A__B: '2', LANGBOT__A: '1' });
    expect(result).toEqual({ a: { b: 2 } });
  });

  it('never mutates its input', () => {
    const settings = { http: { port: 80, tls: { enabled: false } } };
    const snapshot = structuredClone(settings);
    const result = applyEnvOverrides(settings, { LANGBOT__HTTP__TLS__ENABLED: 'true' });
    expect(settings).toEqual(snapshot);
    expect(result.http).not.toBe(settings.http);
  });

  it('lists the dotted keys set by the environment', () => {
    expect(envOverrideKeys({ LANGBOT__HTTP__PORT: '1', LANGBOT__DEBUG: 'true', HOME: '/root' })).toEqual([
      'debug',
      'http.port',
    ]);
  });
});

describe('resolveSettings', () => {
  it('applies defaults < stored < env', () => {
    const defaults = { http: { host: '127.0.0.1', port: 5300 }, log: { level: 'info' }, limits: { chats: 8 } };
    const stored = { http: { port: 8000 }, log: { level: 'debug' } };
    const env = { LANGBOT__LOG__LEVEL: 'warn' };
    expect(resolveSettings(defaults, stored, env)).toEqual({
      http: { host: '127.0.0.1', port: 8000 },
      log: { level: 'warn' },
      limits: { chats: 8 },
    });
  });

  it('replaces arrays instead of concatenating them and merges objects', () => {
    const merged = deepMerge({ origins: ['a', 'b'], nested: { x: 1, y: [1] } }, { origins: ['c'], nested: { y: [2] } });
    expect(merged).toEqual({ origins: ['c'], nested: { x: 1, y: [2] } });
  });

  it('does not mutate defaults or stored settings', () => {
    const defaults = { a: { b: 1 } };
    const stored = { a: { c: 2 } };
    resolveSettings(defaults, stored, { LANGBOT__A__D: '3' });
    expect(defaults).toEqual({ a: { b: 1 } });
    expect(stored).toEqual({ a: { c: 2 } });
  });

  it('ignores __proto__ keys in stored settings', () => {
    const stored = JSON.parse('{"__proto__":{"polluted":true}}');
    const merged = deepMerge({}, stored);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

describe('deployment profiles', () => {
  it('turn on listed built-ins, or all with *, except those they disable', async () => {
    const { profileEnables } = await import('../../kernel/profile.js');
    expect(profileEnables({ extensions: ['a'] }, 'a')).toBe(true);
    expect(profileEnables({ extensions: ['a'] }, 'b')).toBe(false);
    expect(profileEnables({ extensions: '*' }, 'b')).toBe(true);
    expect(profileEnables({ extensions: '*', disable: ['b'] }, 'b')).toBe(false);
  });

  it('ship a full profile where the PostgreSQL backend is an opt-in alternative to sql.js', async () => {
    const { loadProfile, profileEnables } = await import('../../kernel/profile.js');
    const { REPO_ROOT } = await import('../../kernel/paths.js');
    const full = await loadProfile(`${REPO_ROOT}/manifests/profiles`, 'full');
    expect(profileEnables(full, 'langbot.persistence-sqljs')).toBe(true);
    expect(profileEnables(full, 'langbot.persistence-postgres')).toBe(false);
  });
});
