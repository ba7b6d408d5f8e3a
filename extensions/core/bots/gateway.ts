/**
 * The platform-API gateway: `bots.api({ bot_uuid, api, args })` reaches the adapter that runs the bot. An API the
 * adapter's manifest does not declare fails with NOT_SUPPORTED before the adapter is called; so does a
 * `call_platform_api` action outside its `platformSpecificApis`.
 */
import { NotSupportedError, RpcError, RpcErrorCode, STREAMING_PLATFORM_APIS, isPlatformApiName, type ExtensionContext } from '@langbot-ts/sdk';
import type { AdapterCatalog, AdapterDeclaration } from './adapters.js';
import { invokeContribution } from './invoke.js';
import type { BotStore } from './store.js';

export class PlatformGateway {
  constructor(
    private readonly ctx: ExtensionContext,
    private readonly store: BotStore,
    private readonly catalog: AdapterCatalog,
  ) {}

  async call(args: { bot_uuid?: unknown; api?: unknown; args?: unknown }, signal?: AbortSignal): Promise<unknown> {
    if (typeof args?.bot_uuid !== 'string' || !args.bot_uuid) throw new RpcError(RpcErrorCode.ValidationFailed, '`bot_uuid` must be a non-empty string.');
    if (typeof args.api !== 'string' || !args.api) throw new RpcError(RpcErrorCode.ValidationFailed, '`api` must be a non-empty string.');
    const params = args.args ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new RpcError(RpcErrorCode.ValidationFailed, '`args` must be an object.');
    const bot = await this.store.get(args.bot_uuid);
    const declared = await this.catalog.get(bot.adapter);
    this.check(bot.adapter, declared, args.api, params as Record<string, unknown>);
    if (args.api === 'is_stream_output_supported') return this.streams(bot.uuid, bot.adapter, declared, signal);
    return invokeContribution(this.ctx, { point: 'adapters', id: bot.adapter, method: args.api, args: { ...params, bot_uuid: bot.uuid } }, signal);
  }

  /**
   * An adapter that declares streaming may still stream only for some bots (a per-bot switch such as Telegram's
   * `enable-stream-reply`); it says so through `is_stream_output_supported`, and one without that method always streams.
   */
  private async streams(bot_uuid: string, adapter: string, declared: AdapterDeclaration, signal?: AbortSignal): Promise<boolean> {
    if (declared.streaming !== true) return false;
    try {
      return (await invokeContribution(this.ctx, { point: 'adapters', id: adapter, method: 'is_stream_output_supported', args: { bot_uuid } }, signal)) !== false;
    } catch (error) {
      return RpcError.is(error, RpcErrorCode.MethodNotFound);
    }
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
}
