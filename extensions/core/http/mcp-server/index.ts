/**
 * `/mcp`: LangBot as an MCP server (Streamable HTTP, stateless, JSON answers), for agents that manage bots,
 * pipelines and models. API keys only, as upstream: `X-API-Key: <key>` or `Authorization: Bearer <key>`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ExtensionLogger } from '@langbot-ts/sdk';
import { toApiError } from '../api/envelope.js';
import type { RouteSpec } from '../api/routes.js';
import type { Guard, Principal } from '../auth/guard.js';
import { McpTools } from './dispatch.js';

const principals = new WeakMap<FastifyRequest, Principal | undefined>();

export function registerMcpServer(app: FastifyInstance, options: { guard: Guard; routes: RouteSpec[]; version: string; log: ExtensionLogger }): void {
  const { guard, version, log } = options;
  const tools = new McpTools(options.routes, guard, log);
  app.route({
    method: ['POST', 'GET', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    // As for the API: who is calling is settled before the body is read.
    onRequest: async (request, reply) => {
      try {
        principals.set(request, await guard.authenticate(request, 'key'));
      } catch (error) {
        if (toApiError(error).status === 401) reply.header('www-authenticate', 'Bearer');
        throw error;
      }
    },
    handler: async (request, reply) => {
      // Stateless: there is no session to end and nothing to push on a standing stream, which the protocol
      // allows a server to say with 405.
      if (request.method !== 'POST') {
        return reply
          .code(405)
          .header('allow', 'POST')
          .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; send requests with POST.' }, id: null });
      }
      reply.hijack();
      const server = tools.server(version, principals.get(request), request, reply);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.raw.on('close', () => void transport.close().then(() => server.close()));
      try {
        await server.connect(transport);
        await transport.handleRequest(request.raw, reply.raw, request.body);
      } catch (error) {
        log.error(`MCP request failed: ${error instanceof Error ? error.message : String(error)}`, { request_id: request.id, stack: error instanceof Error ? error.stack : undefined });
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null }));
        }
      }
    },
  });
}
