import { describe, expect, it } from 'vitest';
import { chat } from './support.js';

/** Every trigger / safety / output field of upstream's pipeline metadata, with its metadata default. */
const UPSTREAM_FIELDS: Record<string, Record<string, Record<string, unknown>>> = {
  trigger: {
    'group-respond-rules': { at: false, prefix: [], regexp: [], random: 0 },
    'access-control': { mode: 'blacklist', blacklist: [], whitelist: [] },
    'ignore-rules': { prefix: [], regexp: [] },
    'message-aggregation': { enabled: false, delay: 1.5 },
    misc: { 'combine-quote-message': true },
  },
  safety: {
    'content-filter': { scope: 'all', 'check-sensitive-words': false },
    'rate-limit': { 'window-length': 60, limitation: 60, strategy: 'drop' },
  },
  output: {
    'long-text-processing': { threshold: 1000, strategy: 'none', 'font-path': '' },
    'force-delay': { min: 0, max: 0 },
    misc: { 'exception-handling': 'show-hint', 'failure-hint': 'Request failed.', 'at-sender': true, 'quote-origin': false, 'track-function-calls': false, 'remove-think': false },
  },
};

describe('pipelines service', () => {
  it('serves metadata with every upstream trigger, safety and output field and its default, plus the runners', async () => {
    const bot = await chat();
    const metadata = await bot.call('pipelines', { method: 'metadata' });
    for (const [section, stages] of Object.entries(UPSTREAM_FIELDS)) {
      const meta = metadata.configs.find((c: { name: string }) => c.name === section);
      for (const [stage, fields] of Object.entries(stages)) {
        const form = meta.stages.find((s: { name: string }) => s.name === stage).form;
        for (const [field, def] of Object.entries(fields)) expect(form.properties[field], `${section}.${stage}.${field}`).toMatchObject({ default: def, title: { en_US: expect.any(String), zh_Hans: expect.any(String) } });
      }
    }
    const ai = metadata.configs.find((c: { name: string }) => c.name === 'ai');
    expect(ai.stages[0].form.properties.runner.enum).toContain('scripted');
    expect(ai.stages[0].form.properties['expire-time']).toMatchObject({ default: 0 });
    expect(metadata.stages.slice(0, 3)).toEqual(['group-respond-rules', 'access-control', 'pre-content-filter']);
  });

  it('fills defaults, casts numbers and booleans saved as text, and names the field of an invalid value', async () => {
    const bot = await chat();
    const created = await bot.call('pipelines', {
      method: 'create',
      args: { name: 'Typed', config: { safety: { 'rate-limit': { limitation: '5', 'window-length': '10' } }, output: { misc: { 'at-sender': 'false' } } } },
    });
    expect(created.config.safety['rate-limit']).toEqual({ limitation: 5, 'window-length': 10, strategy: 'drop' });
    expect(created.config.output.misc['at-sender']).toBe(false);
    expect(created.config.trigger['group-respond-rules']).toEqual(UPSTREAM_FIELDS.trigger['group-respond-rules']);
    await expect(bot.call('pipelines', { method: 'update', args: { uuid: created.uuid, config: { safety: { 'rate-limit': { strategy: 'explode' } } } } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('/safety/rate-limit/strategy'),
    });
    await expect(bot.call('pipelines', { method: 'create', args: { config: {} } })).rejects.toMatchObject({ message: '`name` is required.' });
  });

  it('copies a pipeline, keeps one default, and deletes', async () => {
    const bot = await chat();
    const original = await bot.call('pipelines', { method: 'get', args: { uuid: bot.pipeline_uuid } });
    const copy = await bot.call('pipelines', { method: 'copy', args: { uuid: bot.pipeline_uuid } });
    expect(copy).toMatchObject({ name: 'Test pipeline (copy)', config: original.config, is_default: false });
    await bot.call('pipelines', { method: 'update', args: { uuid: copy.uuid, is_default: true } });
    const all = await bot.call('pipelines', { method: 'list' });
    expect(all.filter((p: { is_default: boolean }) => p.is_default).map((p: { uuid: string }) => p.uuid)).toEqual([copy.uuid]);
    await bot.call('pipelines', { method: 'delete', args: { uuid: copy.uuid } });
    await expect(bot.call('pipelines', { method: 'get', args: { uuid: copy.uuid } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs the default pipeline when a rule names none', async () => {
    const bot = await chat({ event_handlers: [{ event_type: 'message.received', handler_type: 'pipeline' }] });
    expect(await bot.user('alice').says('which pipeline?')).toEqual(['echo: which pipeline?']);
  });
});

describe('first run', () => {
  it('a fresh installation has one default pipeline, ChatPipeline, and a deleted one is not brought back', async () => {
    const first = await chat();
    const seeded = (await first.call('pipelines', { method: 'list' })).filter((p: { name: string }) => p.name === 'ChatPipeline');
    expect(seeded).toHaveLength(1);
    // The harness then made its own pipeline the default; there is still exactly one.
    expect(seeded[0]).toMatchObject({ config: { ai: { runner: { runner: 'local-agent' } } } });
    expect((await first.call('pipelines', { method: 'list' })).filter((p: { is_default: boolean }) => p.is_default)).toHaveLength(1);

    await first.call('pipelines', { method: 'delete', args: { uuid: seeded[0].uuid } });
    const dataDir = first.dataDir;
    await first.stop();
    const again = await chat({ dataDir });
    const names = (await again.call('pipelines', { method: 'list' })).map((p: { name: string }) => p.name);
    expect(names).not.toContain('ChatPipeline');
  });
});
