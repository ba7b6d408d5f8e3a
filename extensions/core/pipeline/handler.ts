/**
 * The `pipeline` event handler: a `message.received` event runs through the pipeline its rule names
 * (`handler_config.pipeline_uuid`, else the default pipeline). Other events are not the pipeline's business.
 */
import { RpcError, RpcErrorCode, plainText, type BotRef, type MessageReceivedEvent, type UnifiedEvent } from '@langbot-ts/sdk';
import { Aggregator } from './aggregator.js';
import { resolveConfig, type PipelineConfig } from './config.js';
import { launcherOf, nextQueryId, type Query } from './query.js';
import type { PipelineRuntime } from './runtime.js';
import type { StageEnv } from './stage.js';
import type { Pipeline, PipelineStore } from './store.js';
import type { ConfigForm } from '@langbot-ts/sdk';

export class PipelineHandler {
  private readonly aggregator: Aggregator;
  /** Resolved configs by pipeline uuid and update time. */
  private readonly configs = new Map<string, { at: string; config: PipelineConfig }>();

  constructor(
    private readonly env: StageEnv,
    private readonly store: PipelineStore,
    private readonly runtime: PipelineRuntime,
    private readonly form: () => Promise<ConfigForm>,
  ) {
    this.aggregator = new Aggregator((error) => env.ctx.log.warn(`An aggregated message failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  async handle(args: { event: UnifiedEvent; bot: BotRef; config?: Record<string, unknown> }): Promise<{ handled: boolean; reason?: string }> {
    const { event, bot } = args;
    if (event.type !== 'message.received') return { handled: false, reason: `The pipeline handles message.received events, not ${event.type}.` };
    const pipeline = await this.pipelineFor(args.config?.pipeline_uuid);
    const config = await this.configOf(pipeline);
    const aggregation = config.trigger['message-aggregation'] as { enabled: boolean; delay: number };
    const routed = args.config?.routed_by_rule === true;
    if (aggregation.enabled) {
      const { launcher_type, launcher_id } = launcherOf(event);
      this.aggregator.add(`${bot.uuid}:${pipeline.uuid}:${launcher_type}:${launcher_id}`, event, aggregation.delay, (merged) => this.process(merged, bot, pipeline, config, routed));
      return { handled: true };
    }
    await this.process(event, bot, pipeline, config, routed);
    return { handled: true };
  }

  flush(): Promise<void> {
    return this.aggregator.flushAll();
  }

  private async pipelineFor(uuid: unknown): Promise<Pipeline> {
    if (typeof uuid === 'string' && uuid) return this.store.get(uuid);
    const fallback = (await this.store.list()).find((p) => p.is_default);
    if (!fallback) throw new RpcError(RpcErrorCode.NotFound, 'The rule names no pipeline_uuid and there is no default pipeline.');
    return fallback;
  }

  private async configOf(pipeline: Pipeline): Promise<PipelineConfig> {
    const cached = this.configs.get(pipeline.uuid);
    if (cached && cached.at === pipeline.updated_at) return cached.config;
    const config = resolveConfig(await this.form(), pipeline.config);
    this.configs.set(pipeline.uuid, { at: pipeline.updated_at, config });
    return config;
  }

  private async process(event: MessageReceivedEvent, bot: BotRef, pipeline: Pipeline, config: PipelineConfig, routed: boolean): Promise<void> {
    const { env } = this;
    const launcher = launcherOf(event);
    const query: Query = {
      id: nextQueryId(),
      bot,
      pipeline: { uuid: pipeline.uuid, name: pipeline.name, extensions_preferences: pipeline.extensions_preferences },
      config,
      event,
      ...launcher,
      message_chain: event.message_chain,
      variables: {},
      session: {
        key: `${bot.uuid}:${launcher.launcher_type}_${launcher.launcher_id}`,
        bot_uuid: bot.uuid,
        bot_name: bot.name,
        pipeline_uuid: pipeline.uuid,
        pipeline_name: pipeline.name,
        platform: bot.adapter,
        user_id: launcher.sender_id,
        user_name: event.sender.nickname ?? '',
      },
      prompt: [],
      messages: [],
      responses: [],
      stream: false,
      routed_by_rule: routed,
      is_admin: env.settings.admins.includes(`${launcher.launcher_type}_${launcher.launcher_id}`) || env.settings.admins.includes(`person_${launcher.sender_id}`),
    };
    env.monitoring.message(query, 'user', plainText(event.message_chain), 'success', null);
    const seen = await env.listeners.emit(
      query.launcher_type === 'group' ? 'GroupMessageReceived' : 'PersonMessageReceived',
      { launcher_type: query.launcher_type, launcher_id: query.launcher_id, sender_id: query.sender_id, message_chain: event.message_chain },
      bot.uuid,
    );
    if (seen.prevented_default) return;
    query.stream = await env.platform.streams(bot.uuid);
    await this.runtime.refreshStages();
    await this.runtime.run(query);
  }
}
