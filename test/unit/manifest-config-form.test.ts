import { describe, expect, it } from 'vitest';
import {
  type ConfigForm,
  configFormToJsonSchema,
  redactConfig,
  secretKeys,
  validateConfig,
  validateConfigForm,
} from '../../kernel/manifest/index.js';

const form: ConfigForm = {
  type: 'object',
  properties: {
    apiKey: { type: 'string', title: { en_US: 'API key', zh_Hans: '密钥' }, secret: true, widget: 'secret', group: 'auth' },
    baseUrl: { type: 'string', title: 'Base URL', default: 'https://api.example.com', pattern: '^https?://', placeholder: 'https://…' },
    mode: { type: 'string', title: 'Mode', enum: ['fast', 'careful'], enumLabels: ['Fast', 'Careful'], default: 'fast', widget: 'radio' },
    temperature: { type: 'number', title: 'Temperature', minimum: 0, maximum: 2, default: 0.7, widget: 'slider', order: 2 },
    proxy: {
      type: 'object',
      title: 'Proxy',
      properties: {
        enabled: { type: 'boolean', title: 'Enabled', default: false },
        password: { type: 'string', title: 'Password', widget: 'secret' },
      },
    },
    accounts: {
      type: 'array',
      title: 'Accounts',
      items: {
        type: 'object',
        title: 'Account',
        properties: { name: { type: 'string', title: 'Name' }, token: { type: 'string', title: 'Token', secret: true } },
        required: ['name'],
      },
    },
  },
  required: ['apiKey'],
};

describe('validateConfig', () => {
  it('applies defaults, including inside nested objects, without mutating the input', () => {
    const input = { apiKey: 'sk-1' };
    const result = validateConfig(form, input);
    expect(result).toEqual({
      ok: true,
      value: {
        apiKey: 'sk-1',
        baseUrl: 'https://api.example.com',
        mode: 'fast',
        temperature: 0.7,
        proxy: { enabled: false },
      },
    });
    expect(input).toEqual({ apiKey: 'sk-1' });
  });

  it('treats a missing config as empty', () => {
    const optional: ConfigForm = { type: 'object', properties: { n: { type: 'integer', title: 'N', default: 3 } } };
    expect(validateConfig(optional, undefined)).toEqual({ ok: true, value: { n: 3 } });
  });

  it('keeps values given explicitly and tolerates keys the form no longer has', () => {
    const result = validateConfig(form, { apiKey: 'k', mode: 'careful', proxy: { enabled: true }, removedInV2: 1 });
    expect(result).toMatchObject({ ok: true, value: { mode: 'careful', proxy: { enabled: true }, removedInV2: 1 } });
  });

  it('reports invalid values with a path and a sentence', () => {
    const result = validateConfig(
      form,
      { mode: 'slow', temperature: 3, baseUrl: 'ftp://x', proxy: { enabled: 'yes' }, accounts: [{ token: 't' }] },
      'bots/1/adapter-config',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { file: 'bots/1/adapter-config', path: '/apiKey', message: "'apiKey' is required." },
      { file: 'bots/1/adapter-config', path: '/baseUrl', message: "'baseUrl' must be a string matching the pattern ^https?://." },
      { file: 'bots/1/adapter-config', path: '/mode', message: "'mode' must be one of fast, careful." },
      { file: 'bots/1/adapter-config', path: '/temperature', message: "'temperature' must be at most 2." },
      { file: 'bots/1/adapter-config', path: '/proxy/enabled', message: "'enabled' must be a boolean." },
      { file: 'bots/1/adapter-config', path: '/accounts/0/name', message: "'name' is required." },
    ]);
  });
});

describe('configFormToJsonSchema', () => {
  it('produces plain JSON Schema: en_US titles, no UI-only keys', () => {
    const schema = configFormToJsonSchema(form);
    expect(schema.required).toEqual(['apiKey']);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.apiKey).toEqual({ type: 'string', title: 'API key' });
    expect(properties.mode).toEqual({ type: 'string', title: 'Mode', enum: ['fast', 'careful'], default: 'fast' });
    expect(properties.temperature).toEqual({ type: 'number', title: 'Temperature', minimum: 0, maximum: 2, default: 0.7 });
    expect(JSON.stringify(schema)).not.toMatch(/widget|placeholder|group|order|secret|enumLabels|zh_Hans/);
  });
});

describe('secretKeys and redactConfig', () => {
  it('lists dotted paths of secret fields, with * for array items', () => {
    expect(secretKeys(form)).toEqual(['apiKey', 'proxy.password', 'accounts.*.token']);
  });

  it('masks every secret in a copy of the value', () => {
    const value = { apiKey: 'sk-1', mode: 'fast', proxy: { password: 'p' }, accounts: [{ name: 'a', token: 't1' }, { name: 'b' }] };
    expect(redactConfig(form, value)).toEqual({
      apiKey: '******',
      mode: 'fast',
      proxy: { password: '******' },
      accounts: [{ name: 'a', token: '******' }, { name: 'b' }],
    });
    expect(value.apiKey).toBe('sk-1');
  });
});

describe('validateConfigForm', () => {
  const checkForm = (value: unknown) => validateConfigForm(value, 'form.json');

  it('accepts a form with nested fields', () => {
    expect(checkForm(form).ok).toBe(true);
  });

  it('rejects unknown keys, unknown widgets and dotted field names', () => {
    const bad = {
      type: 'object',
      properties: {
        'proxy.host': { type: 'string', title: 'Host' },
        port: { type: 'integer', title: 'Port', widgit: 'number' },
        list: { type: 'array', title: 'L', items: { type: 'string', title: 'I', widget: 'dropdown' } },
      },
    };
    const result = checkForm(bad);
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.message])).toEqual([
      ['/properties/proxy.host', "The name 'proxy.host' in 'properties' must be a field name made of letters, digits, '_' or '-' (no dots)."],
      ['/properties/port/widgit', "Unknown property 'widgit' (did you mean 'widget'?)"],
      [
        '/properties/list/items/widget',
        "'widget' must be one of text, secret, textarea, select, radio, switch, number, slider, json, code, duration, list, model-select, bot-select.",
      ],
    ]);
  });

  it('applies the same consistency rules as manifest forms', () => {
    const result = checkForm({ type: 'object', properties: { n: { type: 'integer', title: 'N', default: 'x' } }, required: ['m'] });
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.message])).toEqual([
      ['/required/0', "'required' lists 'm', which is not a field here."],
      ['/properties/n/default', "'default' must be an integer like the field itself."],
    ]);
  });
});

describe('config form patterns', () => {
  it('refuses a pattern that is not a valid regular expression, naming the field', async () => {
    const { validateConfigForm } = await import('../../kernel/manifest/index.js');
    const result = validateConfigForm({ type: 'object', properties: { code: { type: 'string', title: 'Code', pattern: '([a-z' } } }, 'form.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual({ file: 'form.yaml', path: '/properties/code/pattern', message: "'pattern' must be a valid regular expression." });
  });
});
