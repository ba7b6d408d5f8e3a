/**
 * Pipeline configuration: what a new pipeline starts with (upstream's default pipeline, which differs from the
 * metadata defaults), string-to-type coercion by field type, and validation with defaults filled in.
 */
import { RpcError, RpcErrorCode, validateConfig, type ConfigForm, type FormField } from '@langbot-ts/sdk';

export const DEFAULT_SYSTEM_PROMPT =
  'You are a helpful assistant. When tools are available, use them for exact calculations, data processing, and code execution instead of guessing. Unless the user explicitly asks for code or a script, return the result directly instead of printing the generated code.';

/** The configuration a newly created pipeline gets. */
export function defaultPipelineConfig(): PipelineConfig {
  return {
    trigger: {
      'group-respond-rules': { at: true, prefix: ['ai'], regexp: [], random: 0 },
      'access-control': { mode: 'blacklist', blacklist: [], whitelist: [] },
      'ignore-rules': { prefix: [], regexp: [] },
      'message-aggregation': { enabled: false, delay: 1.5 },
      misc: { 'combine-quote-message': true },
    },
    safety: {
      'content-filter': { scope: 'all', 'check-sensitive-words': true },
      'rate-limit': { 'window-length': 60, limitation: 60, strategy: 'drop' },
    },
    ai: {
      runner: { runner: 'local-agent', 'expire-time': 0 },
      'local-agent': {
        model: { primary: '', fallbacks: [] },
        'max-round': 10,
        prompt: [{ role: 'system', content: DEFAULT_SYSTEM_PROMPT }],
        'knowledge-bases': [],
        'box-session-id-template': '{launcher_type}_{launcher_id}',
        'rerank-model': '',
        'rerank-top-k': 5,
      },
    },
    output: {
      'long-text-processing': { threshold: 1000, strategy: 'none', 'font-path': '' },
      'force-delay': { min: 0, max: 0 },
      misc: {
        'exception-handling': 'show-hint',
        'failure-hint': 'Request failed.',
        'at-sender': true,
        'quote-origin': true,
        'track-function-calls': false,
        'remove-think': false,
      },
    },
  };
}

type Section = Record<string, Record<string, unknown>>;
export interface PipelineConfig {
  trigger: Section;
  safety: Section;
  ai: Section;
  output: Section;
  [extra: string]: unknown;
}

/** Upstream saves numbers and booleans typed into text fields as strings; cast them by the field's type. */
export function coerce(field: FormField, value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((field.type === 'integer' || field.type === 'number') && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
    if (field.type === 'boolean' && /^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
    return value;
  }
  if (field.type === 'object' && field.properties && value && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, sub] of Object.entries(field.properties)) if (key in out) out[key] = coerce(sub, out[key]);
    return out;
  }
  if (field.type === 'array' && field.items && Array.isArray(value)) return value.map((item) => coerce(field.items!, item));
  return value;
}

/** Validates a pipeline config against the metadata form; unknown keys are kept, missing ones get their defaults. */
export function resolveConfig(form: ConfigForm, value: unknown): PipelineConfig {
  const coerced = coerce({ type: 'object', title: 'config', properties: form.properties }, value ?? {});
  const result = validateConfig(form, coerced, 'pipeline config');
  if (!result.ok) {
    const list = result.errors.map((e) => `${e.path || '(config)'}: ${e.message}`).join('; ');
    throw new RpcError(RpcErrorCode.ValidationFailed, `Invalid pipeline config: ${list}`, { issues: result.errors.map((e) => ({ path: e.path, message: e.message })) });
  }
  const config = result.value as PipelineConfig;
  // The aggregation delay is clamped rather than refused, as upstream does.
  const aggregation = config.trigger['message-aggregation'];
  aggregation.delay = Math.min(10, Math.max(1, Number(aggregation.delay)));
  return config;
}
