/** The bot's adapter config, read once at start with upstream's field names (`host`, `port`, `access-token`). */
import { RpcError, RpcErrorCode } from '@langbot-ts/sdk';

export type ConnectionMode = 'reverse' | 'forward';

export interface OneBotConfig {
  mode: ConnectionMode;
  host: string;
  port: number;
  forwardUrl: string;
  accessToken: string;
  actionTimeoutMs: number;
}

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

export function readConfig(raw: Record<string, unknown> | undefined): OneBotConfig {
  const config = raw ?? {};
  const mode = config['connection-mode'] ?? 'reverse';
  if (mode !== 'reverse' && mode !== 'forward') throw invalid(`connection-mode must be 'reverse' or 'forward', not '${String(mode)}'.`);
  const port = Number(config.port ?? 2280);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalid(`port must be an integer from 1 to 65535, not '${String(config.port)}'.`);
  const forwardUrl = String(config['forward-url'] ?? 'ws://127.0.0.1:3001').trim();
  if (mode === 'forward' && !/^wss?:\/\/[^/]/i.test(forwardUrl)) throw invalid('forward-url must be a ws:// or wss:// URL of the OneBot implementation.');
  const timeout = Number(config['action-timeout'] ?? 30);
  return {
    mode,
    host: String(config.host ?? '0.0.0.0') || '0.0.0.0',
    port,
    forwardUrl,
    accessToken: String(config['access-token'] ?? ''),
    actionTimeoutMs: (Number.isFinite(timeout) && timeout > 0 ? timeout : 30) * 1000,
  };
}
