/** The `mcp` service: MCP servers stored, connected, tested, with their tools and logs. */
import { RpcError, RpcErrorCode, type Implementation } from '@langbot-ts/sdk';
import { McpConnection } from './connection.js';
import type { McpManager } from './manager.js';
import { MODES, type McpServer, type McpStore, type Mode, type ServerFields } from './store.js';

const invalid = (msg: string) => new RpcError(RpcErrorCode.ValidationFailed, msg);
const SECRET = /token|secret|password|api[_-]?key|authorization|auth/i;

function fields(args: Record<string, unknown>, required: boolean): ServerFields {
  const out: ServerFields = {};
  if (args.name !== undefined || required) {
    if (typeof args.name !== 'string' || !/^[A-Za-z0-9_-]{1,48}$/.test(args.name)) throw invalid('`name` must be 1–48 letters, digits, `_` or `-` (it prefixes tool names).');
    out.name = args.name;
  }
  if (args.mode !== undefined || required) {
    if (!MODES.includes(args.mode as Mode)) throw invalid(`\`mode\` must be one of ${MODES.join(', ')}.`);
    out.mode = args.mode as Mode;
  }
  if (args.enable !== undefined) {
    if (typeof args.enable !== 'boolean') throw invalid('`enable` must be a boolean.');
    out.enable = args.enable;
  }
  if (args.readme !== undefined) out.readme = String(args.readme);
  if (args.extra_args !== undefined) {
    if (typeof args.extra_args !== 'object' || args.extra_args === null || Array.isArray(args.extra_args)) throw invalid('`extra_args` must be an object.');
    out.extra_args = args.extra_args as ServerFields['extra_args'];
  }
  const mode = out.mode;
  const extra = out.extra_args;
  if (required && mode === 'stdio' && !extra?.command) throw invalid('A stdio server needs `extra_args.command`.');
  if (required && mode !== 'stdio' && !extra?.url) throw invalid(`A ${mode} server needs \`extra_args.url\`.`);
  return out;
}

/** Secret-looking values (env and headers) are shown masked; a masked value sent back keeps the stored one. */
function mask(server: McpServer): McpServer {
  const hide = (record?: Record<string, string>) => (record ? Object.fromEntries(Object.entries(record).map(([k, v]) => [k, SECRET.test(k) ? '***' : v])) : record);
  return { ...server, extra_args: { ...server.extra_args, ...(server.extra_args.env ? { env: hide(server.extra_args.env) } : {}), ...(server.extra_args.headers ? { headers: hide(server.extra_args.headers) } : {}) } };
}
function restore(incoming: ServerFields['extra_args'], stored: McpServer['extra_args']) {
  if (!incoming) return incoming;
  const keep = (next?: Record<string, string>, old?: Record<string, string>) => (next ? Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v === '***' && old?.[k] !== undefined ? old[k] : v])) : next);
  return { ...incoming, ...(incoming.env ? { env: keep(incoming.env, stored.env) } : {}), ...(incoming.headers ? { headers: keep(incoming.headers, stored.headers) } : {}) };
}

export function mcpService(store: McpStore, manager: McpManager): Implementation {
  const view = (server: McpServer) => {
    const c = manager.connections.get(server.uuid);
    return { ...mask(server), status: c?.status ?? (server.enable ? 'connecting' : 'disabled'), last_error: c?.last_error, tool_count: c?.tools.length ?? 0, resource_count: c?.resources.length ?? 0 };
  };
  const uuidOf = (args: { uuid?: unknown }) => {
    if (typeof args?.uuid !== 'string' || !args.uuid) throw invalid('`uuid` must be a non-empty string.');
    return args.uuid;
  };
  return {
    list: async () => (await store.list()).map(view),
    get: async (args) => view(await store.get(uuidOf(args))),
    create: async (args: Record<string, unknown>) => {
      const server = await store.create(fields(args, true) as Required<Pick<McpServer, 'name' | 'mode'>> & ServerFields);
      await manager.apply(server);
      return view(server);
    },
    update: async (args: Record<string, unknown>) => {
      const uuid = uuidOf(args);
      const stored = await store.get(uuid);
      const changes = fields(args, false);
      if (changes.extra_args) changes.extra_args = restore(changes.extra_args, stored.extra_args);
      const server = await store.update(uuid, changes);
      await manager.apply(server);
      return view(server);
    },
    delete: async (args) => {
      const uuid = uuidOf(args);
      await store.delete(uuid);
      await manager.stop(uuid);
      return { deleted: true };
    },
    /** Connects a server (stored or given) once and reports what it offers, without keeping the connection. */
    test: async (args: Record<string, unknown>) => {
      const server: McpServer = typeof args.uuid === 'string' ? await store.get(args.uuid) : ({ uuid: 'test', enable: true, readme: '', created_at: '', updated_at: '', ...fields(args, true) } as McpServer);
      const probe = new McpConnection({ ...server, enable: true });
      const started = Date.now();
      try {
        await probe.connect();
        return { ok: true, latency_ms: Date.now() - started, tools: probe.tools.map((t) => ({ name: t.name, description: t.description })), resources: probe.resources.length };
      } catch (error) {
        return { ok: false, latency_ms: Date.now() - started, error: error instanceof Error ? error.message : String(error), logs: probe.logs };
      } finally {
        await probe.close();
      }
    },
    tools: async (args) => {
      const c = manager.connections.get(uuidOf(args));
      return c?.tools ?? [];
    },
    logs: async (args) => manager.connections.get(uuidOf(args))?.logs ?? [],
  };
}
