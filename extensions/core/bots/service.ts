/** The `bots` service: CRUD over stored bots, their lifecycle and their recent events. */
import { RpcError, RpcErrorCode, type EventHandlerRule, type ExtensionContext, type Implementation } from '@langbot-ts/sdk';
import { checkAdapterConfig, maskAdapterConfig } from './adapter-config.js';
import type { AdapterCatalog } from './adapters.js';
import type { EventLog } from './event-log.js';
import type { Lifecycle } from './lifecycle.js';
import { checkHandlers, validateRules } from './rules.js';
import { publicBot, type BotFields, type BotStore, type StoredBot } from './store.js';

const invalid = (msg: string) => new RpcError(RpcErrorCode.ValidationFailed, msg);

function uuidOf(args: { uuid?: unknown } | undefined): string {
  if (typeof args?.uuid !== 'string' || !args.uuid) throw invalid('`uuid` must be a non-empty string.');
  return args.uuid;
}

/** Checks the writable fields; `required` names those that must be present. */
function fieldsOf(args: Record<string, unknown>, required: boolean): BotFields {
  const fields: BotFields = {};
  for (const key of ['name', 'adapter', 'description'] as const) {
    const value = args[key];
    if (value === undefined) {
      if (required && key !== 'description') throw invalid(`\`${key}\` is required.`);
      continue;
    }
    if (typeof value !== 'string' || (key !== 'description' && !value)) throw invalid(`\`${key}\` must be a non-empty string.`);
    fields[key] = value;
  }
  if (args.adapter_config !== undefined) {
    if (typeof args.adapter_config !== 'object' || args.adapter_config === null || Array.isArray(args.adapter_config)) throw invalid('`adapter_config` must be an object.');
    fields.adapter_config = args.adapter_config as Record<string, unknown>;
  }
  if (args.enable !== undefined) {
    if (typeof args.enable !== 'boolean') throw invalid('`enable` must be a boolean.');
    fields.enable = args.enable;
  }
  if (args.event_handlers !== undefined) fields.event_handlers = validateRules(args.event_handlers) as EventHandlerRule[];
  return fields;
}

export function botsService(ctx: Pick<ExtensionContext, 'call'>, store: BotStore, lifecycle: Lifecycle, events: EventLog, catalog: AdapterCatalog): Implementation {
  const checked = async (args: Record<string, unknown>, required: boolean, before?: StoredBot) => {
    const fields = fieldsOf(args ?? {}, required);
    if (fields.event_handlers) fields.event_handlers = await checkHandlers(ctx, fields.event_handlers);
    const adapter = fields.adapter ?? before?.adapter;
    if (adapter && (fields.adapter_config !== undefined || fields.adapter !== undefined)) {
      const stored = before && before.adapter === adapter ? before.adapter_config : undefined;
      fields.adapter_config = await checkAdapterConfig(catalog, adapter, fields.adapter_config ?? before?.adapter_config ?? {}, stored);
    }
    return fields;
  };
  /** What callers see: secrets in the adapter config masked. */
  const shown = async (bot: StoredBot) => {
    const pub = publicBot(bot);
    return { ...pub, adapter_config: await maskAdapterConfig(catalog, bot.adapter, pub.adapter_config) };
  };
  return {
    list: async () => Promise.all((await store.list()).map(shown)),
    get: async (args) => shown(await store.get(uuidOf(args))),
    create: async (args: Record<string, unknown>) => {
      const bot = await store.create((await checked(args, true)) as BotFields & { name: string; adapter: string });
      const status = bot.enable ? await lifecycle.start(bot) : lifecycle.status(bot.uuid);
      return { ...(await shown(bot)), status };
    },
    update: async (args: Record<string, unknown>) => {
      const uuid = uuidOf(args);
      const before = await store.get(uuid);
      const bot = await store.update(uuid, await checked(args, false, before));
      const changed = before.adapter !== bot.adapter || JSON.stringify(before.adapter_config) !== JSON.stringify(bot.adapter_config);
      if (!bot.enable) await lifecycle.stop(before);
      else if (changed || !lifecycle.isRunning(uuid)) {
        await lifecycle.stop(before);
        await lifecycle.start(bot);
      }
      return { ...(await shown(bot)), status: lifecycle.status(uuid) };
    },
    delete: async (args) => {
      const uuid = uuidOf(args);
      const bot = await store.get(uuid);
      await lifecycle.stop(bot);
      await store.delete(uuid);
      lifecycle.forget(uuid);
      events.forget(uuid);
      return { deleted: true };
    },
    events: async (args: { uuid?: unknown; limit?: unknown }) => {
      const uuid = uuidOf(args);
      await store.get(uuid);
      const limit = args.limit === undefined ? undefined : Number(args.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw invalid('`limit` must be a non-negative integer.');
      return events.recent(uuid, limit);
    },
    status: async (args) => {
      const uuid = uuidOf(args);
      await store.get(uuid);
      return lifecycle.status(uuid);
    },
    start: async (args) => lifecycle.start(await store.get(uuidOf(args))),
    stop: async (args) => lifecycle.stop(await store.get(uuidOf(args))),
    restart: async (args) => lifecycle.restart(await store.get(uuidOf(args))),
  };
}
