/**
 * A small MCP server built with the official SDK, served over Streamable HTTP (stateless) on a local port, for
 * tests of remote MCP servers: a `get_weather` tool, a failing `explode` tool and one text resource.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

function build(): McpServer {
  const server = new McpServer({ name: 'test-weather', version: '1.0.0' });
  server.registerTool('get_weather', { description: 'Weather by city (from MCP).', inputSchema: { city: z.string() } }, async ({ city }) => ({
    content: [{ type: 'text', text: `MCP says ${city} is rainy` }],
  }));
  server.registerTool('explode', { description: 'Always fails.', inputSchema: {} }, async () => ({ content: [{ type: 'text', text: 'kaboom' }], isError: true }));
  server.registerResource('today', 'note://today', { description: "Today's note", mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, text: 'Remember the meeting at 10.' }],
  }));
  return server;
}

export async function startMcpHttpServer(options: { token?: string } = {}): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const http: Server = createServer(async (req, res) => {
    state.requests++;
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    // Stateless: a fresh server and transport per request, as the SDK documents for simple deployments.
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        // Clients keep connections alive; they must not hold up the test.
        http.closeAllConnections();
      }),
  };
}
