/**
 * langbot.pipeline: stored pipelines and the `pipeline` event handler that runs a message through the stages
 * (trigger → safety → preprocessing → chat or command → output), with sessions and conversations persisted.
 * Provides the `pipelines` service.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RpcError, RpcErrorCode, defineExtension, openDatabase, type ConfigForm, type I18nString } from '@langbot-ts/sdk';
import { ConversationStore } from './conversations.js';
import { PipelineHandler } from './handler.js';
import { Listeners } from './listeners.js';
import { seedDefaultPipeline } from './first-run.js';
import { FIXED_SECTIONS, aiSection, pipelineForm, type SectionMetadata } from './metadata.js';
import { Monitoring } from './monitoring.js';
import { BUILTIN_STAGE_IDS } from './order.js';
import { Platform } from './platform.js';
import { PipelineRuntime } from './runtime.js';
import { pipelinesService } from './service.js';
import { settingsFrom } from './settings.js';
import type { StageEnv } from './stage.js';
import { RateLimiter } from './stages/rate-limit.js';
import { PipelineStore } from './store.js';
import { WriteBehind } from './write-behind.js';

interface RunnerDeclaration {
  key: string;
  entry: { id: string; displayName?: I18nString; config?: ConfigForm };
}

export default defineExtension({
  async activate(ctx) {
    const db = await openDatabase(ctx);
    const writes = new WriteBehind(db, ctx.log);
    const env: StageEnv = {
      ctx,
      platform: new Platform(ctx),
      listeners: new Listeners(ctx),
      conversations: new ConversationStore(db, writes),
      monitoring: new Monitoring(writes),
      rateLimiter: new RateLimiter(),
      settings: settingsFrom(ctx.config),
      sleep: (ms) => sleep(ms),
      random: Math.random,
    };
    const store = new PipelineStore(db);
    const runtime = new PipelineRuntime(env);

    // The ai section depends on which runners are installed; re-read at most every 2 s.
    let formCache: { at: number; sections: SectionMetadata[]; form: ConfigForm } | undefined;
    const current = async () => {
      if (formCache && Date.now() - formCache.at < 2_000) return formCache;
      const runners = await ctx.call<RunnerDeclaration[]>('contributions', 'list', { point: 'runners' });
      const sections = [FIXED_SECTIONS[0], FIXED_SECTIONS[1], aiSection(runners.map((r) => r.entry)), FIXED_SECTIONS[2]];
      // Saving may name a runner that is not installed yet: the choice is offered as a list, not enforced.
      const form = structuredClone(pipelineForm(sections));
      delete form.properties.ai.properties!.runner.properties!.runner.enum;
      delete form.properties.ai.properties!.runner.properties!.runner.enumLabels;
      formCache = { at: Date.now(), sections, form };
      return formCache;
    };
    const form = async () => (await current()).form;
    const handler = new PipelineHandler(env, store, runtime, form);

    const service = pipelinesService(store, { form, sections: async () => (await current()).sections, stages: () => runtime.order });
    ctx.provideService('pipelines', service);
    // The service's create fills in the default config and stage order; it does not read the invocation context.
    await seedDefaultPipeline(ctx, store, async (args) => service.create(args, {} as never));
    ctx.provide('eventHandlers', 'pipeline', { handle: (args) => handler.handle(args) });
    for (const id of BUILTIN_STAGE_IDS) {
      ctx.provide('stages', id, {
        process: () => {
          throw new RpcError(RpcErrorCode.NotSupported, `The stage '${id}' runs only inside the pipeline; it is declared so it can be ordered and shown.`);
        },
      });
    }
    // Messages waiting for aggregation are answered, then pending bookkeeping is written (the kernel stops this
    // extension before the database it uses).
    ctx.onDispose(async () => {
      await handler.flush();
      await writes.flush();
    });
  },
});
