/**
 * Turns each MCP tool into a call of its REST route: the caller's key must hold the route's permission, the
 * arguments are checked against the route's own TypeBox schemas, and the route's handler answers. The answer (the
 * `data` of the REST envelope) is the tool's JSON text; a failure is a tool error carrying the API's `{code, msg}`.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ExtensionLogger } from '@langbot-ts/sdk';
import { badRequest, toApiError } from '../api/envelope.js';
import type { RouteSpec } from '../api/routes.js';
import type { Guard, Principal } from '../auth/guard.js';
import { MCP_TOOLS, type McpToolSpec } from './tools.js';

interface BoundTool {
  spec: McpToolSpec;
  route: RouteSpec;
  shape: Record<string, z.ZodType>;
}

type JsonSchema = { type?: string; anyOf?: JsonSchema[]; const?: unknown; properties?: Record<string, JsonSchema>; required?: string[]; allOf?: JsonSchema[] };

/** "name (string, required), enable (boolean), …" from a route's body schema, so clients know what to send. */
function describeFields(schema: TSchema | undefined): string {
  const parts = ((schema as JsonSchema | undefined)?.allOf ?? [schema as JsonSchema]).filter(Boolean);
  const types = new Map<string, string>();
  const required = new Set<string>();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part.properties ?? {})) {
      types.set(key, value.type ?? value.anyOf?.map((a) => (a.const !== undefined ? JSON.stringify(a.const) : a.type)).join(' | ') ?? 'any');
    }
    for (const key of part.required ?? []) required.add(key);
  }
  return [...types].map(([key, type]) => `${key} (${type}${required.has(key) ? ', required' : ''})`).join(', ');
}

function bind(spec: McpToolSpec, routes: RouteSpec[]): BoundTool {
  const route = routes.find((r) => `${r.method} ${r.url}` === spec.route);
  // A renamed or removed route must stop the server from starting, not surface as a tool that always fails.
  if (!route) throw new Error(`MCP tool '${spec.name}' names the route '${spec.route}', which does not exist.`);
  if (route.raw || route.auth === 'user') throw new Error(`MCP tool '${spec.name}': the route '${spec.route}' cannot be called with an API key.`);
  const shape: Record<string, z.ZodType> = {};
  if (spec.uuidArg) shape[spec.uuidArg] = z.string().min(1).describe('The uuid of the object.');
  if (spec.bodyArg) shape[spec.bodyArg] = z.record(z.string(), z.unknown()).describe(`Fields: ${describeFields(route.body)}.`);
  for (const name of spec.queryArgs ?? []) shape[name] = z.string().optional();
  return { spec, route, shape };
}

/** The first problem of `value` against a route schema, named by the tool argument it came from. */
function check(schema: TSchema | undefined, value: unknown, argument: string): void {
  if (!schema || Value.Check(schema, value)) return;
  const error = Value.Errors(schema, value).First();
  const path = error?.path ? error.path.replace(/\//g, '.') : '';
  throw badRequest(`Invalid ${argument}${path}: ${error?.message ?? 'does not match the schema'}.`);
}

const text = (value: unknown, isError = false): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value ?? null) }], ...(isError ? { isError } : {}) });

export class McpTools {
  private readonly tools: BoundTool[];

  constructor(
    routes: RouteSpec[],
    private readonly guard: Guard,
    private readonly log: ExtensionLogger,
  ) {
    this.tools = MCP_TOOLS.map((spec) => bind(spec, routes));
  }

  /** A server for one request (stateless): its tools act as `principal`. */
  server(version: string, principal: Principal | undefined, request: FastifyRequest, reply: FastifyReply): McpServer {
    const server = new McpServer({ name: 'LangBot', version });
    for (const tool of this.tools) {
      const method = tool.route.method;
      server.registerTool(
        tool.spec.name,
        {
          description: tool.spec.description,
          inputSchema: tool.shape,
          annotations: { readOnlyHint: method === 'GET', destructiveHint: method === 'DELETE', openWorldHint: false },
        },
        (args: Record<string, unknown>) => this.call(tool, args, principal, request, reply),
      );
    }
    return server;
  }

  private async call(tool: BoundTool, args: Record<string, unknown>, principal: Principal | undefined, request: FastifyRequest, reply: FastifyReply): Promise<CallToolResult> {
    const { spec, route } = tool;
    try {
      this.guard.authorize(principal, route.permission);
      const params = spec.uuidArg ? { uuid: args[spec.uuidArg] } : {};
      const body = spec.bodyArg ? args[spec.bodyArg] : undefined;
      const query = Object.fromEntries((spec.queryArgs ?? []).filter((name) => args[name] !== undefined).map((name) => [name, args[name]]));
      check(route.params, params, spec.uuidArg ?? 'arguments');
      check(route.querystring, query, 'arguments');
      check(route.body, body, spec.bodyArg ?? 'arguments');
      return text(await route.handler({ body, query, params, principal, raw: request, reply }));
    } catch (error) {
      const api = toApiError(error);
      if (api.status >= 500 && api.code === 'internal_error') {
        this.log.error(`MCP tool ${spec.name} failed: ${error instanceof Error ? error.message : String(error)}`, { request_id: request.id, stack: error instanceof Error ? error.stack : undefined });
        return text({ code: api.code, msg: api.message, request_id: request.id }, true);
      }
      return text({ code: api.code, msg: api.message, ...(api.data !== undefined ? { data: api.data } : {}) }, true);
    }
  }
}
