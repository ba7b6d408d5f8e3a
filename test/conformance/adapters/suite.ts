/**
 * The adapter conformance suite: one specification every platform adapter passes, run against a fake server that
 * speaks the platform's real wire protocol, with the adapter driving the platform's real client library.
 *
 *   describeAdapterConformance({ adapter: 'telegram', extensionDir, startFake, produce: {...}, apis: {...}, … });
 *
 * It checks that the manifest declares exactly what the code implements, that every declared event can be produced
 * from the platform side and reaches the bot, that every declared API (and platform-specific action) is callable
 * through `bots.api`, that unknown platform input becomes `Unknown` / `platform.specific` and never crashes the
 * adapter, that a message gets its reply through the full path (streamed by editing where declared), that the
 * adapter reconnects after the platform drops it, and that secrets never reach the logs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readManifest } from '../../../kernel/manifest/index.js';
import {
  OPTIONAL_PLATFORM_APIS,
  checkAdapterDeclarations,
  parseEvent,
  type ExtensionContext,
  type ExtensionModule,
  type Implementation,
  type MessageReceivedEvent,
} from '../../../sdk/index.js';
import { ChatHarness } from '../../../sdk/testing/chat.js';

export interface FakePlatform {
  close(): Promise<void>;
}

export interface ApiCase<F> {
  /** The API's arguments (`bot_uuid` is added). `last` is the newest message the bot received. */
  args(fake: F, last: MessageReceivedEvent): Record<string, unknown>;
  /** What the platform must have seen (or what the result must be). */
  check?(fake: F, result: unknown): void | Promise<void>;
}

export interface UnknownInput<F> {
  name: string;
  send(fake: F): Promise<void>;
  /** `platform.specific`: an event of that type arrives; `Unknown`: a message whose chain has an Unknown part; `nothing`: the input is logged and dropped. */
  becomes: 'platform.specific' | 'Unknown' | 'nothing';
}

export interface AdapterConformanceSpec<F extends FakePlatform> {
  /** The adapter's contribution id, e.g. `telegram`. */
  adapter: string;
  extensionDir: string;
  startFake(): Promise<F>;
  /** The bot's adapter config pointing at the fake platform. `ingress` is the kernel's HTTP base URL. */
  botConfig(fake: F, ingress: string, bot_uuid: string): Record<string, unknown>;
  /** Resolves once the adapter is connected to the fake platform (or ready to receive). */
  connected(fake: F): Promise<void>;
  /** Values that must never appear in a log line. */
  secrets(fake: F): string[];
  /** A user says `text` to the bot in a private chat. */
  userSays(fake: F, text: string): Promise<void>;
  /** The bot's messages in that private chat as the platform shows them now (edits applied), oldest first. */
  botTexts(fake: F): string[];
  /** How many times the bot edited its messages; required when the adapter streams. */
  edits?(fake: F): number;
  /** Produces each declared event from the platform side; keys are event types. */
  produce: Record<string, (fake: F) => Promise<void>>;
  /** Every declared API except `call_platform_api`. */
  apis: Record<string, ApiCase<F>>;
  /** Every declared platform-specific action: `params` for `call_platform_api`. */
  platformApis: Record<string, ApiCase<F>>;
  unknownInputs: UnknownInput<F>[];
  /** The platform drops the adapter's connection (or restarts); a later message must still arrive. */
  dropConnection(fake: F): Promise<void>;
}

type ManifestAdapter = { id: string; supportedEvents: string[]; supportedApis: string[]; platformSpecificApis?: string[]; streaming?: boolean };

/** The adapter implementation as the extension provides it, captured by activating it with a recording context. */
async function captureImplementation(dir: string, entry: string, adapter: string): Promise<Implementation> {
  const module = (await import(join(dir, entry))).default as ExtensionModule;
  const provided = new Map<string, Implementation>();
  const disposers: (() => unknown)[] = [];
  const quiet = () => undefined;
  const ctx: ExtensionContext = {
    id: 'conformance',
    version: '0.0.0',
    dataDir: '/nonexistent',
    config: {},
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    provide: (point, id, implementation) => (point === 'adapters' && provided.set(id, implementation), quiet),
    provideService: () => quiet,
    call: async () => {
      throw new Error('No kernel in the declaration check.');
    },
    stream: () => {
      throw new Error('No kernel in the declaration check.');
    },
    onDispose: (d) => void disposers.push(d),
  };
  await module.activate(ctx);
  for (const d of disposers.reverse()) await d();
  const impl = provided.get(adapter);
  if (!impl) throw new Error(`The extension in ${dir} does not provide the adapter '${adapter}'.`);
  return impl;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function describeAdapterConformance<F extends FakePlatform>(spec: AdapterConformanceSpec<F>): void {
  describe(`adapter conformance: ${spec.adapter}`, () => {
    let fake: F;
    let chat: ChatHarness;
    let declared: ManifestAdapter;
    let entry: string;
    const emitted = new Set<string>();

    const events = async () => {
      const list = await chat.botEvents();
      for (const e of list) emitted.add(String(e.type));
      return list;
    };
    /** Waits for an event matching `match` that was not there before `act`. */
    const after = async (what: string, act: () => Promise<void>, match: (e: Record<string, unknown>) => boolean) => {
      const before = new Set((await events()).map((e) => JSON.stringify(e)));
      await act();
      return waitFor(what, async () => (await events()).find((e) => !before.has(JSON.stringify(e)) && match(e)));
    };
    const lastMessage = async () => {
      const list = await events();
      const found = [...list].reverse().find((e) => e.type === 'message.received');
      if (!found) throw new Error('No message has been received yet.');
      return found as unknown as MessageReceivedEvent;
    };
    const api = (name: string, args: Record<string, unknown>) => chat.call('bots', { method: 'api', args: { bot_uuid: chat.bot_uuid, api: name, args } });

    beforeAll(async () => {
      const read = await readManifest(spec.extensionDir);
      if (!read.ok) throw new Error(`Invalid manifest: ${JSON.stringify(read.issues)}`);
      entry = read.manifest.entry ?? 'index.ts';
      const found = read.manifest.contributes?.adapters?.find((a) => a.id === spec.adapter);
      if (!found) throw new Error(`The manifest in ${spec.extensionDir} declares no adapter '${spec.adapter}'.`);
      declared = found as ManifestAdapter;
      fake = await spec.startFake();
      chat = await ChatHarness.start({ script: [{ match: '^stream', chunks: ['Stre', 'aming ', 'done'] }, { reply: 'echo: {text}' }] });
      // The bot starts on the recording mock; its uuid and the ingress URL are known only now, so it moves to the
      // adapter under test with a config that may need both (required fields are checked on this update).
      const ingress = await chat.httpUrl();
      const updated = await chat.call('bots', { method: 'update', args: { uuid: chat.bot_uuid, adapter: spec.adapter, adapter_config: spec.botConfig(fake, ingress, chat.bot_uuid) } });
      expect(updated.status, JSON.stringify(updated.status)).toMatchObject({ state: 'running' });
      await spec.connected(fake);
    }, 60_000);

    afterAll(async () => {
      await chat?.stop();
      await fake?.close();
    });

    it('declares in its manifest exactly what its code implements', async () => {
      const impl = await captureImplementation(spec.extensionDir, entry, spec.adapter);
      expect(checkAdapterDeclarations(declared, impl)).toEqual([]);
      if (declared.streaming) expect(typeof impl.reply_message_chunk, 'a streaming adapter implements reply_message_chunk').toBe('function');
      if (declared.platformSpecificApis?.length) expect(declared.supportedApis).toContain('call_platform_api');
    });

    it('answers a message through the full path (adapter → router → pipeline → runner → adapter)', async () => {
      await spec.userSays(fake, 'hello there');
      await waitFor('the reply on the platform', () => spec.botTexts(fake).includes('echo: hello there'));
      const message = await lastMessage();
      expect(parseEvent(message).ok).toBe(true);
      expect(message.message_chain.some((c) => c.type === 'Plain' && c.text.includes('hello there'))).toBe(true);
    });

    if (manifestEntrySync(spec.extensionDir, spec.adapter)?.streaming === true) {
      it('streams a reply by editing the message it sent', async () => {
        const editsBefore = spec.edits!(fake);
        await spec.userSays(fake, 'stream please');
        await waitFor('the streamed reply', () => spec.botTexts(fake).includes('Streaming done'));
        expect(spec.edits!(fake)).toBeGreaterThan(editsBefore);
      });
    }

    it('produces every declared event from the platform side', async () => {
      const missing = declared.supportedEvents.filter((type) => !spec.produce[type]);
      expect(missing, 'declared events this suite cannot produce').toEqual([]);
      for (const type of declared.supportedEvents) {
        const event = await after(`a ${type} event`, () => spec.produce[type](fake), (e) => e.type === type);
        const parsed = parseEvent(event);
        expect(parsed.ok, `${type}: ${JSON.stringify(parsed)}`).toBe(true);
        expect(event).toMatchObject({ bot_uuid: chat.bot_uuid, adapter_name: spec.adapter });
      }
    });

    it('serves every declared API through bots.api', async () => {
      const apis = declared.supportedApis.filter((a) => a !== 'call_platform_api');
      expect(apis.filter((a) => !spec.apis[a]), 'declared APIs without a case').toEqual([]);
      const last = await lastMessage();
      for (const name of apis) {
        const c = spec.apis[name];
        let result: unknown;
        try {
          result = await api(name, c.args(fake, last));
        } catch (error) {
          throw new Error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        await c.check?.(fake, result);
      }
    });

    it('serves every declared platform-specific action through call_platform_api', async () => {
      const actions = declared.platformSpecificApis ?? [];
      expect(actions.filter((a) => !spec.platformApis[a]), 'declared actions without a case').toEqual([]);
      const last = await lastMessage();
      for (const action of actions) {
        const c = spec.platformApis[action];
        let result: unknown;
        try {
          result = await api('call_platform_api', { action, params: c.args(fake, last) });
        } catch (error) {
          throw new Error(`call_platform_api ${action} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        expect(() => JSON.stringify(result), `${action} returns JSON-safe data`).not.toThrow();
        await c.check?.(fake, result);
      }
      await expect(api('call_platform_api', { action: 'no_such_action', params: {} })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    });

    it('refuses an API it does not declare with NOT_SUPPORTED', async () => {
      const undeclared = OPTIONAL_PLATFORM_APIS.find((a) => !declared.supportedApis.includes(a));
      if (!undeclared) return;
      await expect(api(undeclared, {})).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    });

    it('turns unknown platform input into Unknown or platform.specific and keeps working', async () => {
      for (const input of spec.unknownInputs) {
        if (input.becomes === 'nothing') {
          await input.send(fake);
          continue;
        }
        const event = await after(`${input.name} as ${input.becomes}`, () => input.send(fake), (e) =>
          input.becomes === 'platform.specific'
            ? e.type === 'platform.specific'
            : e.type === 'message.received' && (e as unknown as MessageReceivedEvent).message_chain.some((c) => c.type === 'Unknown'),
        );
        expect(parseEvent(event).ok).toBe(true);
      }
      await spec.userSays(fake, 'still alive?');
      await waitFor('a reply after unknown input', () => spec.botTexts(fake).includes('echo: still alive?'));
    });

    it('reconnects after the platform drops the connection', async () => {
      await spec.dropConnection(fake);
      await spec.userSays(fake, 'after the drop');
      await waitFor('a reply after reconnecting', () => spec.botTexts(fake).includes('echo: after the drop'), 20_000);
    }, 40_000);

    it('emits only events it declares', async () => {
      await events();
      const problems = checkAdapterDeclarations(declared, { send_message() {}, reply_message() {} }, { emittedEvents: [...emitted] }).filter((p) => p.startsWith('The adapter emitted'));
      expect(problems).toEqual([]);
    });

    it('never writes a secret to the log, and never shows one in the bot config', async () => {
      const bot = await chat.call('bots', { method: 'get', args: { uuid: chat.bot_uuid } });
      const shown = JSON.stringify(bot.adapter_config);
      for (const secret of spec.secrets(fake)) {
        expect(secret.length).toBeGreaterThan(3);
        expect(shown.includes(secret), 'the bot config shows a secret').toBe(false);
        const leaking = chat.logs.filter((line) => line.includes(secret));
        expect(leaking, 'log lines with a secret').toEqual([]);
      }
    });
  });
}

/** Read synchronously while tests are collected, to decide whether the streaming test exists. */
function manifestEntrySync(dir: string, adapter: string): ManifestAdapter | undefined {
  const file = [join(dir, 'manifest.yaml'), join(dir, 'manifest.json')].find(existsSync);
  if (!file) return undefined;
  const data = parse(readFileSync(file, 'utf8')) as { contributes?: { adapters?: ManifestAdapter[] } };
  return data.contributes?.adapters?.find((a) => a.id === adapter);
}
