import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EventHandlerRulesSchema, matchRules, migrateLegacyPipeline, routeEvent, type EventHandlerRule } from '../../sdk/contracts/index.js';

const rule = (event_type: string, handler_type: string, priority = 0, extra: Partial<EventHandlerRule> = {}): EventHandlerRule => ({
  event_type,
  handler_type,
  handler_config: {},
  enabled: true,
  priority,
  description: '',
  ...extra,
});

describe('event-handler rules', () => {
  const rules = [
    rule('*', 'plugin', -100),
    rule('group.*', 'webhook', 5, { handler_config: { url: 'http://127.0.0.1/hook' } }),
    rule('message.received', 'pipeline', 10, { handler_config: { pipeline_uuid: 'p-1' } }),
    rule('group.member_joined', 'agent', 20, { enabled: false }),
  ];

  it('route a message to the exact rule with the highest priority', () => {
    expect(routeEvent('message.received', { event_handlers: rules })).toMatchObject({ handler_type: 'pipeline', handler_config: { pipeline_uuid: 'p-1' }, via: 'rule' });
  });

  it('skip disabled rules and use namespace wildcards', () => {
    expect(routeEvent('group.member_joined', { event_handlers: rules })).toMatchObject({ handler_type: 'webhook', via: 'rule' });
  });

  it('let * catch what nothing else matches', () => {
    expect(routeEvent('friend.added', { event_handlers: rules })).toMatchObject({ handler_type: 'plugin', via: 'rule' });
  });

  it('fall back to the plugin handler when no enabled rule matches', () => {
    expect(routeEvent('friend.added', { event_handlers: [rule('message.*', 'pipeline')] })).toEqual({ handler_type: 'plugin', handler_config: {}, via: 'fallback' });
    expect(routeEvent('message.received', { event_handlers: [] })).toMatchObject({ via: 'fallback' });
  });

  it('keep declaration order between rules of equal priority', () => {
    const tied = [rule('message.*', 'agent', 1), rule('*', 'webhook', 1)];
    expect(matchRules('message.received', tied).map((r) => r.handler_type)).toEqual(['agent', 'webhook']);
  });

  it('still route a bot that only has the legacy use_pipeline_uuid: messages to the pipeline, the rest to plugins', () => {
    const bot = { event_handlers: [], use_pipeline_uuid: 'legacy-1' };
    expect(routeEvent('message.received', bot)).toEqual({ handler_type: 'pipeline', handler_config: { pipeline_uuid: 'legacy-1' }, via: 'legacy' });
    expect(routeEvent('group.member_left', bot)).toEqual({ handler_type: 'plugin', handler_config: {}, via: 'legacy' });
  });

  it('migrate use_pipeline_uuid into equivalent rules, and leave configured bots alone', () => {
    const migrated = migrateLegacyPipeline({ use_pipeline_uuid: 'legacy-1', event_handlers: null });
    expect(routeEvent('message.received', { event_handlers: migrated })).toMatchObject({ handler_type: 'pipeline', handler_config: { pipeline_uuid: 'legacy-1' } });
    expect(routeEvent('bot.muted', { event_handlers: migrated })).toMatchObject({ handler_type: 'plugin', via: 'rule' });
    expect(migrateLegacyPipeline({ use_pipeline_uuid: 'x', event_handlers: rules })).toBe(rules);
  });

  it('validate rules with defaults, and reject malformed patterns', () => {
    const validate = new Ajv({ useDefaults: true, strict: false }).compile(EventHandlerRulesSchema);
    const value: unknown[] = [{ event_type: 'message.*', handler_type: 'agent' }];
    expect(validate(value)).toBe(true);
    expect(value[0]).toEqual({ event_type: 'message.*', handler_type: 'agent', handler_config: {}, enabled: true, priority: 0, description: '' });
    expect(validate([{ event_type: 'message.**', handler_type: 'agent' }])).toBe(false);
    expect(validate([{ event_type: '*', handler_type: 'agent', extra: 1 }])).toBe(false);
  });
});
