/** The runner's section of the pipeline config (`ai.n8n-service-api`), checked and with its defaults. */
import { RpcError, RpcErrorCode } from '@langbot-ts/sdk';

export const AUTH_TYPES = ['none', 'basic', 'jwt', 'header'] as const;
export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export type N8nAuth =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'jwt'; secret: string; algorithm: JwtAlgorithm }
  | { type: 'header'; name: string; value: string };

export interface N8nSettings {
  webhookUrl: string;
  auth: N8nAuth;
  /** How long the workflow may stay silent (no headers, no bytes) before the request is given up. */
  timeoutMs: number;
  outputKey: string;
}

/** The manifest's default, which is never a real webhook. */
const PLACEHOLDER_URL = 'http://your-n8n-webhook-url';
const DEFAULT_TIMEOUT_S = 120;

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function n8nSettings(config: Record<string, unknown>): N8nSettings {
  const webhookUrl = text(config['webhook-url']);
  if (!webhookUrl || webhookUrl === PLACEHOLDER_URL) throw invalid('n8n has no webhook URL: set it in the pipeline (AI → n8n workflow → Webhook URL).');
  if (!/^https?:\/\/[^/]/i.test(webhookUrl)) throw invalid(`The n8n webhook URL '${webhookUrl}' is not an http(s) address.`);
  const timeout = Number(config.timeout ?? DEFAULT_TIMEOUT_S);
  return { webhookUrl, auth: authOf(config), timeoutMs: (timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000, outputKey: text(config['output-key']) || 'response' };
}

function authOf(config: Record<string, unknown>): N8nAuth {
  const type = config['auth-type'] ?? 'none';
  switch (type) {
    case 'none':
      return { type: 'none' };
    case 'basic': {
      const username = text(config['basic-username']);
      if (!username) throw invalid('n8n basic auth needs a username (AI → n8n workflow → Username).');
      return { type: 'basic', username, password: typeof config['basic-password'] === 'string' ? config['basic-password'] : '' };
    }
    case 'jwt': {
      const secret = typeof config['jwt-secret'] === 'string' ? config['jwt-secret'] : '';
      if (!secret) throw invalid('n8n JWT auth needs the secret of the webhook’s JWT credential (AI → n8n workflow → JWT secret).');
      const algorithm = (text(config['jwt-algorithm']) || 'HS256').toUpperCase() as JwtAlgorithm;
      if (!JWT_ALGORITHMS.includes(algorithm)) throw invalid(`The JWT algorithm '${String(config['jwt-algorithm'])}' is not supported: use ${JWT_ALGORITHMS.join(', ')}.`);
      return { type: 'jwt', secret, algorithm };
    }
    case 'header': {
      const name = text(config['header-name']);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw invalid(`n8n header auth needs a valid header name (AI → n8n workflow → Header name); got '${name}'.`);
      return { type: 'header', name, value: typeof config['header-value'] === 'string' ? config['header-value'] : '' };
    }
    default:
      throw invalid(`Unknown n8n auth type '${String(type)}': use one of ${AUTH_TYPES.join(', ')}.`);
  }
}

/** The secrets of the settings, to keep them out of error messages. */
export function secretsOf(settings: N8nSettings): string[] {
  const { auth } = settings;
  if (auth.type === 'basic') return [auth.password];
  if (auth.type === 'jwt') return [auth.secret];
  if (auth.type === 'header') return [auth.value];
  return [];
}
