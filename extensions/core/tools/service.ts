/** The `tools` service: the tools a caller may use, and calling one (arguments checked, result recorded). */
import { randomUUID } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Kysely } from 'kysely';
import { RpcError, RpcErrorCode, type Database, type ExtensionPreferences, type ExtensionContext, type Implementation, type ToolCallContext, type ToolInfo, type ToolResult } from '@langbot-ts/sdk';
import type { ToolCatalog } from './catalog.js';
import type { ToolPolicy } from './policy.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, { schema: string; check: ValidateFunction }>();
const CALL_TIMEOUT_MS = 300_000;

function checker(tool: ToolInfo): ValidateFunction | undefined {
  const schema = JSON.stringify(tool.parameters ?? {});
  const cached = validators.get(tool.name);
  if (cached?.schema === schema) return cached.check;
  try {
    const check = ajv.compile(tool.parameters ?? {});
    validators.set(tool.name, { schema, check });
    return check;
  } catch {
    return undefined;
  }
}

const text = (result: ToolResult) => (typeof result.content === 'string' ? result.content : JSON.stringify(result.content));

export function toolsService(ctx: ExtensionContext, catalog: ToolCatalog, policy: () => ToolPolicy, db: Kysely<Database>): Implementation {
  const record = (tool: ToolInfo, args: unknown, context: ToolCallContext, started: number, result: ToolResult) => {
    void db
      .insertInto('monitoring_tool_calls')
      .values({
        id: randomUUID(),
        workspace_uuid: null,
        timestamp: new Date().toISOString(),
        tool_name: tool.name,
        tool_source: tool.source === 'extension' ? 'plugin' : tool.source,
        duration: Date.now() - started,
        status: result.is_error ? 'error' : 'success',
        message_id: context.query_id ?? null,
        arguments: JSON.stringify(args ?? {}).slice(0, 10_000),
        result: result.is_error ? null : text(result).slice(0, 10_000),
        error_message: result.is_error ? text(result).slice(0, 2_000) : null,
        bot_id: context.bot_uuid ?? null,
        bot_name: null,
        pipeline_id: context.pipeline_uuid ?? null,
        pipeline_name: null,
        session_id: context.session_id ?? null,
      })
      .execute()
      .catch((e) => ctx.log.warn(`Could not record a tool call: ${e instanceof Error ? e.message : String(e)}`));
  };

  return {
    /**
     * The tools `context` may use. `selection` (names) narrows them, absent or `['*']` means all; `preferences`
     * (the pipeline's) limit extension tools to chosen extensions and MCP tools to chosen servers.
     */
    list: async (args: { context?: ToolCallContext; selection?: string[]; preferences?: ExtensionPreferences }) => {
      const context = args?.context ?? {};
      const selection = Array.isArray(args?.selection) && !args.selection.includes('*') ? new Set(args.selection) : undefined;
      const prefs = args?.preferences ?? {};
      const chosen = (t: ToolInfo) => {
        if (t.source === 'extension') return prefs.enable_all_plugins !== false || (prefs.plugins ?? []).includes(t.owner);
        if (t.source === 'mcp') {
          if (prefs.enable_all_mcp_servers !== false) return true;
          // The resource tools (namespace `langbot`) come with any chosen server.
          return t.namespace === 'langbot' ? (prefs.mcp_servers ?? []).length > 0 : (prefs.mcp_servers ?? []).includes(t.namespace ?? '');
        }
        return true;
      };
      return (await catalog.all()).filter((t) => chosen(t) && (!selection || selection.has(t.name) || selection.has(t.original_name)) && policy().allows(t.name, context));
    },
    /**
     * Runs a tool. Bad arguments and failures come back as `is_error` results the model can read and correct;
     * a tool the caller may not use, or that does not exist, is an error for the caller.
     */
    call: async (args: { name?: unknown; arguments?: unknown; context?: ToolCallContext }) => {
      if (typeof args?.name !== 'string' || !args.name) throw new RpcError(RpcErrorCode.ValidationFailed, '`name` must be a non-empty string.');
      const context = args.context ?? {};
      const tool = await catalog.find(args.name);
      if (!tool) throw new RpcError(RpcErrorCode.NotFound, `No tool '${args.name}'.`, { tool: args.name });
      if (!policy().allows(tool.name, context)) throw new RpcError(RpcErrorCode.PermissionDenied, `The tool policy does not let this caller use '${tool.name}'.`, { tool: tool.name });
      const input = (args.arguments ?? {}) as Record<string, unknown>;
      const started = Date.now();
      const check = checker(tool);
      if (check && !check(input)) {
        const problems = (check.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message}`).join('; ');
        const result = { content: `Invalid arguments for ${tool.name}: ${problems}`, is_error: true };
        record(tool, input, context, started, result);
        return result;
      }
      let result: ToolResult;
      try {
        const raw =
          tool.source === 'extension'
            ? await ctx.call('contributions', 'invoke', { point: 'tools', id: tool.original_name, method: 'call', args: input, timeoutMs: CALL_TIMEOUT_MS })
            : await ctx.call('contributions', 'invoke', { point: 'toolLoaders', id: tool.source, method: 'call', args: { name: tool.original_name, namespace: tool.namespace, arguments: input, context }, timeoutMs: CALL_TIMEOUT_MS });
        result = normalize(raw);
      } catch (error) {
        result = { content: `Error: ${error instanceof Error ? error.message : String(error)}`, is_error: true };
      }
      record(tool, input, context, started, result);
      return result;
    },
  };
}

/** Loaders answer with a ToolResult; single tools may answer with anything JSON. */
function normalize(raw: unknown): ToolResult {
  if (raw && typeof raw === 'object' && 'content' in raw && (typeof (raw as ToolResult).content === 'string' || Array.isArray((raw as ToolResult).content))) return raw as ToolResult;
  return { content: typeof raw === 'string' ? raw : JSON.stringify(raw ?? null) };
}
