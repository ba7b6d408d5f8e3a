/**
 * Runs a query through the stages. A stage's `continue` runs the rest; each `continue` a stage yields runs the rest
 * once more (streamed chunks, several replies). Notices are handled as they come: user notices are replied,
 * errors logged and recorded.
 */
import { plainText, type ExtensionContext, type MessageChain, type StageResult } from '@langbot-ts/sdk';
import { BUILTIN_STAGES, stageOrder, type StageDeclaration } from './order.js';
import type { Query } from './query.js';
import { addressed } from './stages/output.js';
import type { Stage, StageEnv } from './stage.js';

const BUILTIN = new Map(BUILTIN_STAGES);
const isIterable = (value: unknown): value is AsyncIterable<StageResult> => typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';

interface Step {
  id: string;
  run: Stage;
}

/** A stage another extension contributes: it sees a copy of the query and may change the message and variables. */
function contributedStage(ctx: ExtensionContext, key: string): Stage {
  return async (query) => {
    const snapshot = {
      id: query.id,
      bot: query.bot,
      pipeline: { uuid: query.pipeline.uuid, name: query.pipeline.name },
      event: query.event,
      launcher_type: query.launcher_type,
      launcher_id: query.launcher_id,
      sender_id: query.sender_id,
      message_chain: query.message_chain,
      variables: query.variables,
      user_message: query.user_message,
      responses: query.responses,
    };
    const outcome = await ctx.call<StageResult & { message_chain?: MessageChain; variables?: Record<string, unknown> }>('contributions', 'invoke', {
      point: 'stages',
      id: key,
      method: 'process',
      args: { query: snapshot, config: query.config },
    });
    if (Array.isArray(outcome?.message_chain)) query.message_chain = outcome.message_chain;
    if (outcome?.variables && typeof outcome.variables === 'object') Object.assign(query.variables, outcome.variables);
    return { result: outcome?.result === 'interrupt' ? 'interrupt' : 'continue', user_notice: outcome?.user_notice, console_notice: outcome?.console_notice, error_notice: outcome?.error_notice };
  };
}

export class PipelineRuntime {
  private steps: Step[] = BUILTIN_STAGES.map(([id, run]) => ({ id, run }));
  private readAt = 0;

  constructor(private readonly env: StageEnv) {}

  /** Re-reads contributed stages at most every 2 s. */
  async refreshStages(): Promise<void> {
    if (Date.now() - this.readAt < 2_000) return;
    this.readAt = Date.now();
    const declared = await this.env.ctx.call<StageDeclaration[]>('contributions', 'list', { point: 'stages' });
    this.steps = stageOrder(declared).map((id) => ({ id, run: BUILTIN.get(id) ?? contributedStage(this.env.ctx, id) }));
  }

  get order(): string[] {
    return this.steps.map((s) => s.id);
  }

  async run(query: Query, from = 0): Promise<void> {
    for (let i = from; i < this.steps.length; i++) {
      const step = this.steps[i];
      const outcome = step.run(query, this.env);
      if (isIterable(outcome)) {
        for await (const result of outcome) {
          await this.notices(query, step.id, result);
          if (result.result === 'continue') await this.run(query, i + 1);
        }
        return;
      }
      const result = await outcome;
      await this.notices(query, step.id, result);
      if (result.result !== 'continue') return;
    }
  }

  private async notices(query: Query, stage: string, result: StageResult): Promise<void> {
    const where = { stage, query: query.id, bot: query.bot.uuid, pipeline: query.pipeline.uuid };
    if (result.console_notice) this.env.ctx.log.debug(result.console_notice, where);
    if (result.error_notice) {
      this.env.ctx.log.warn(`Stage ${stage} failed: ${result.error_notice}`, where);
    }
    if (result.user_notice !== undefined) {
      const chain: MessageChain = typeof result.user_notice === 'string' ? [{ type: 'Plain', text: result.user_notice }] : result.user_notice;
      if (chain.length === 0 || !plainText(chain) && chain.every((c) => c.type === 'Plain')) return;
      const quote = (query.config.output.misc as { 'quote-origin': boolean })['quote-origin'];
      await this.env.platform.reply(query.bot.uuid, query.event, addressed(query, chain), quote);
    }
  }
}
