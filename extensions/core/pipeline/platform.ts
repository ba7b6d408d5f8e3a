/** How the pipeline talks to the platform: through the bots service's platform-API gateway. */
import type { ExtensionContext, MessageChain, MessageReceivedEvent, MessageResult } from '@langbot-ts/sdk';

export class Platform {
  constructor(private readonly ctx: Pick<ExtensionContext, 'call'>) {}

  private api<T>(bot_uuid: string, api: string, args: Record<string, unknown>): Promise<T> {
    return this.ctx.call<T>('bots', 'api', { bot_uuid, api, args });
  }

  reply(bot_uuid: string, event: MessageReceivedEvent, message: MessageChain, quote_origin: boolean): Promise<MessageResult> {
    return this.api(bot_uuid, 'reply_message', { event, message, quote_origin });
  }

  replyChunk(bot_uuid: string, event: MessageReceivedEvent, bot_message: Record<string, unknown>, message: MessageChain, quote_origin: boolean, is_final: boolean): Promise<MessageResult | undefined> {
    return this.api(bot_uuid, 'reply_message_chunk', { event, bot_message, message, quote_origin, is_final });
  }

  streams(bot_uuid: string): Promise<boolean> {
    return this.api(bot_uuid, 'is_stream_output_supported', {});
  }
}
