/**
 * A fresh installation starts with one default pipeline, as upstream's does, so a new user can open the debug chat
 * (or bind a bot) as soon as a model is set. Seeded once: a user who deletes it does not get it back.
 */
import type { ExtensionContext } from '@langbot-ts/sdk';
import type { PipelineStore } from './store.js';

const SEEDED = 'default-pipeline-seeded';

export async function seedDefaultPipeline(ctx: Pick<ExtensionContext, 'call' | 'log'>, store: PipelineStore, create: (args: Record<string, unknown>) => Promise<unknown>): Promise<void> {
  const { value } = await ctx.call<{ value: unknown }>('kv', 'get', { key: SEEDED });
  if (value) return;
  if ((await store.list()).length === 0) {
    await create({
      name: 'ChatPipeline',
      description: 'The default pipeline: bots without a rule naming a pipeline use it. Choose its model under AI.',
      emoji: '💬',
      is_default: true,
    });
    ctx.log.info('Created the default pipeline ChatPipeline.');
  }
  await ctx.call('kv', 'set', { key: SEEDED, value: true });
}
