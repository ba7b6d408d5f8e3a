/**
 * The platform-API gateway: `bots.api({ bot_uuid, api, args })` reaches the adapter that runs the bot. An API the
 * adapter's manifest does not declare fails with NOT_SUPPORTED before the adapter is called; so does a
 * `call_platform_api` action outside its `platformSpecificApis`.
 */
import { NotSupportedError, RpcError, RpcErrorCode, STREAMING_PLATFORM_APIS, isPlatformApiName, type ExtensionContext } from '@langbot-ts/sdk';
import { invokeContribution } from './invoke.js';
import type { BotStore } from './store.js';

interface AdapterDeclaration {
  supportedApis: string[];
  platformSpecificApis?: string[];
  streaming?: boolean;
}

/** Declarations are read from the contributions list; re-read at most this often, and on any miss. */
const CACHE_MS = 2_000;

export class PlatformGateway {
  private declarations = new Map<string, AdapterDeclaration>();
  private readAt = 0;

  constructor(
    private readonly ctx: ExtensionContext,
    private readonly store: BotStore,
  ) {}

  async call(args: { bot_uuid?: unknown; api?: unknown; args?: unknown }, signal?: AbortSignal): Promise<unknown> {
    if (typeof args?.bot_uuid !== 'string' || !args.bot_uuid) throw new RpcError(RpcErrorCode.ValidationFailed, '`bot_uuid` must be a non-empty string.');
    if (typeof args.api !== 'string' || !args.api) throw new RpcError(RpcErrorCode.ValidationFailed, '`api` must be a non-empty string.');
    const params = args.args ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new RpcError(RpcErrorCode.ValidationFailed, '`args` must be an object.');
    const bot = await this.store.get(args.bot_uuid);
    const declared = await this.declaration(bot.adapter);
    this.check(bot.adapter, declared, args.api, params as Record<string, unknown>);
    if (args.api === 'is_stream_output_supported') return declared.streaming === true;
    return invokeContribution(this.ctx, { point: 'adapters', id: bot.adapter, method: args.api, args: { ...params, bot_uuid: bot.uuid } }, signal);
  }

  /** Whether the adapter of this bot streams replies, from its manifest. */
  async streams(adapter: string): Promise<boolean> {
    return (await this.declaration(adapter)).streaming === true;
  }

  private check(adapter: string, declared: AdapterDeclaration, api: string, params: Record<string, unknown>): void {
    const streaming = (STREAMING_PLATFORM_APIS as readonly string[]).includes(api);
    if (!streaming && !isPlatformApiName(api)) throw new RpcError(RpcErrorCode.ValidationFailed, `'${api}' is not a platform API.`, { api });
    if (streaming ? api === 'reply_message_chunk' && !declared.streaming : !declared.supportedApis.includes(api)) throw new NotSupportedError(api);
    if (api === 'call_platform_api') {
      const action = String(params.action ?? '');
      if (!(declared.platformSpecificApis ?? []).includes(action)) {
        throw new RpcError(RpcErrorCode.NotSupported, `Adapter '${adapter}' declares no platform API '${action}'.`, { api, action });
      }
    }
  }

  private async declaration(adapter: string): Promise<AdapterDeclaration> {
    const fresh = Date.now() - this.readAt < CACHE_MS;
    if (!fresh || !this.declarations.has(adapter)) await this.refresh();
    const found = this.declarations.get(adapter);
    if (!found) throw new RpcError(RpcErrorCode.NotFound, `No extension contributes the adapter '${adapter}'.`, { adapter });
    return found;
  }

  private async refresh(): Promise<void> {
    const entries = await this.ctx.call<{ key: string; entry: AdapterDeclaration }[]>('contributions', 'list', { point: 'adapters' });
    this.declarations = new Map(entries.map((e) => [e.key, e.entry]));
    this.readAt = Date.now();
  }
}
