/**
 * The Discord adapter activated without a kernel: events it emits and lines it logs are recorded, and its
 * implementation is called directly, against a fake Discord.
 */
import type { ExtensionContext, Implementation } from '../../../sdk/index.js';
import extension from '../../../extensions/adapters/discord/index.js';
import { FakeDiscord } from '../../support/fake-platforms/discord/index.js';
import { waitFor } from '../../conformance/adapters/suite.js';

export interface AdapterRun {
  fake: FakeDiscord;
  impl: Implementation & Record<string, (args: Record<string, unknown>) => Promise<any>>;
  events: Record<string, any>[];
  logs: string[];
  bot_uuid: string;
  config: Record<string, unknown>;
  /** Waits for an emitted event matching `match`. */
  event(what: string, match: (e: Record<string, any>) => boolean): Promise<Record<string, any>>;
  dispose(): Promise<void>;
}

export async function runAdapter(options: { start?: boolean } = {}): Promise<AdapterRun> {
  const fake = await FakeDiscord.start();
  const events: Record<string, any>[] = [];
  const logs: string[] = [];
  const disposers: (() => unknown)[] = [];
  let impl!: AdapterRun['impl'];
  const line = (level: string) => (msg: string, data?: Record<string, unknown>) => void logs.push(`${level} ${msg} ${data ? JSON.stringify(data) : ''}`);
  const ctx: ExtensionContext = {
    id: 'langbot.adapter-discord',
    version: '0.0.0',
    dataDir: '/nonexistent',
    config: {},
    log: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    provide: (_point, _id, implementation) => ((impl = implementation as AdapterRun['impl']), () => undefined),
    provideService: () => () => undefined,
    call: async (service, method, args) => {
      if (service !== 'events' || method !== 'emit') throw new Error(`unexpected call ${service}.${method}`);
      events.push((args as { event: Record<string, any> }).event);
      return { accepted: true } as never;
    },
    stream: () => {
      throw new Error('no streams');
    },
    onDispose: (d) => void disposers.push(d),
  };
  await extension.activate(ctx);
  const bot_uuid = 'bot-under-test';
  const config = { client_id: fake.state.application.id, token: fake.token, api_base_url: fake.apiBaseUrl };
  if (options.start !== false) await impl.start({ bot_uuid, config });
  return {
    fake,
    impl,
    events,
    logs,
    bot_uuid,
    config,
    event: (what, match) => waitFor(what, () => events.find(match)),
    async dispose() {
      for (const d of disposers.reverse()) await d();
      await fake.close();
    },
  };
}
