/**
 * A fake HTTP-bot client system: a callback receiver plus a sender of signed inbound requests. `connect` records
 * the kernel's ingress and the bot uuid once the bot's config is known.
 */
import { CallbackReceiver } from './receiver.js';
import { sendInbound, textMessage, type InboundAnswer, type InboundOptions } from './client.js';

export { CallbackReceiver, textOf, expectedSignature, type ReceivedCallback, type CallbackPayload } from './receiver.js';
export { sendInbound, textMessage, type InboundAnswer, type InboundOptions } from './client.js';

export const INBOUND_SECRET = 'in-secret-7f3c2a9b1e';
export const OUTBOUND_SECRET = 'out-secret-5d8e0c4f6a';

export class FakeHttpBotPlatform {
  ingress = '';
  bot_uuid = '';

  private constructor(
    readonly receiver: CallbackReceiver,
    readonly inboundSecret: string,
  ) {}

  /** Callbacks are checked with `outboundSecret` (what the bot should sign with). */
  static async start(options: { inboundSecret?: string; outboundSecret?: string } = {}): Promise<FakeHttpBotPlatform> {
    const inbound = options.inboundSecret ?? INBOUND_SECRET;
    return new FakeHttpBotPlatform(await CallbackReceiver.start(options.outboundSecret ?? inbound), inbound);
  }

  connect(ingress: string, bot_uuid: string): void {
    this.ingress = ingress;
    this.bot_uuid = bot_uuid;
  }

  get botUrl(): string {
    return `${this.ingress}/bots/${this.bot_uuid}`;
  }

  /** Sends a request signed with the inbound secret unless `options` says otherwise. */
  send(body: unknown, options: Partial<InboundOptions> = {}): Promise<InboundAnswer> {
    return sendInbound(this.botUrl, body, { secret: this.inboundSecret, ...options });
  }

  says(session_id: string, text: string, options: Partial<InboundOptions> = {}): Promise<InboundAnswer> {
    return this.send(textMessage(session_id, text), options);
  }

  close(): Promise<void> {
    return this.receiver.close();
  }
}
