/**
 * One live MCP server: a client over stdio, Streamable HTTP or SSE (remote mode tries Streamable HTTP, then SSE),
 * its tools and resources, and a log of what happened (including the server's stderr).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ContentPart, ToolResult } from '@langbot-ts/sdk';
import type { McpServer } from './store.js';

export type Status = 'disabled' | 'connecting' | 'connected' | 'failed';

export interface McpTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

const LOG_LINES = 200;
const DEFAULT_TIMEOUT_S = 10;

export class McpConnection {
  status: Status = 'connecting';
  last_error: string | undefined;
  tools: McpTool[] = [];
  resources: { uri: string; name: string; description?: string; mimeType?: string }[] = [];
  readonly logs: { at: string; line: string }[] = [];
  private client: Client | undefined;

  constructor(readonly server: McpServer) {}

  log(line: string): void {
    this.logs.push({ at: new Date().toISOString(), line: line.slice(0, 2000) });
    if (this.logs.length > LOG_LINES) this.logs.splice(0, this.logs.length - LOG_LINES);
  }

  async connect(): Promise<void> {
    this.status = 'connecting';
    const timeout = (this.server.extra_args.timeout ?? DEFAULT_TIMEOUT_S) * 1000;
    try {
      this.client = await this.open(timeout);
      const listed = await this.client.listTools(undefined, { timeout });
      this.tools = listed.tools.map((t) => ({ name: t.name, description: t.description ?? '', parameters: (t.inputSchema as Record<string, unknown>) ?? { type: 'object' } }));
      if (this.client.getServerCapabilities()?.resources) {
        const resources = await this.client.listResources(undefined, { timeout }).catch(() => ({ resources: [] }));
        this.resources = resources.resources.map((r) => ({ uri: r.uri, name: r.name, description: r.description, mimeType: r.mimeType }));
      }
      this.status = 'connected';
      this.last_error = undefined;
      this.log(`Connected: ${this.tools.length} tool(s), ${this.resources.length} resource(s).`);
    } catch (error) {
      this.status = 'failed';
      this.last_error = error instanceof Error ? error.message : String(error);
      this.log(`Could not connect: ${this.last_error}`);
      await this.close();
      throw error;
    }
  }

  private async open(timeout: number): Promise<Client> {
    const { mode, extra_args: a } = this.server;
    if (mode === 'stdio') {
      if (!a.command) throw new Error('A stdio MCP server needs `command`.');
      const transport = new StdioClientTransport({ command: a.command, args: a.args ?? [], env: { ...(process.env as Record<string, string>), ...(a.env ?? {}) }, cwd: a.cwd, stderr: 'pipe' });
      transport.stderr?.on('data', (chunk: Buffer) => String(chunk).split('\n').filter(Boolean).forEach((l) => this.log(`stderr: ${l}`)));
      return this.start(transport, timeout);
    }
    if (!a.url) throw new Error(`A ${mode} MCP server needs \`url\`.`);
    const url = new URL(a.url);
    const init = { requestInit: { headers: a.headers ?? {} } };
    if (mode === 'sse') return this.start(new SSEClientTransport(url, init), timeout);
    if (mode === 'http') return this.start(new StreamableHTTPClientTransport(url, init), timeout);
    try {
      return await this.start(new StreamableHTTPClientTransport(url, init), timeout);
    } catch (error) {
      this.log(`Streamable HTTP failed (${error instanceof Error ? error.message : String(error)}); trying SSE.`);
      return this.start(new SSEClientTransport(url, init), timeout);
    }
  }

  private async start(transport: Transport, timeout: number): Promise<Client> {
    const client = new Client({ name: 'langbot-ts', version: '0.1.0' });
    transport.onclose = () => {
      if (this.status === 'connected') {
        this.status = 'failed';
        this.last_error = 'The server closed the connection.';
        this.log(this.last_error);
      }
    };
    await client.connect(transport, { timeout });
    return client;
  }

  async call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    if (!this.client || this.status !== 'connected') throw new Error(`MCP server '${this.server.name}' is not connected${this.last_error ? `: ${this.last_error}` : ''}.`);
    const timeout = (this.server.extra_args.tool_call_timeout_sec ?? 300) * 1000;
    const result = (await this.client.callTool({ name, arguments: args }, undefined, { timeout })) as { content?: unknown[]; isError?: boolean; structuredContent?: unknown };
    const parts: ContentPart[] = [];
    for (const item of (result.content ?? []) as Record<string, any>[]) {
      if (item.type === 'text') parts.push({ type: 'text', text: item.text });
      else if (item.type === 'image') parts.push({ type: 'image_url', image_url: { url: `data:${item.mimeType};base64,${item.data}` } });
      else if (item.type === 'resource') parts.push({ type: 'text', text: item.resource?.text ?? `[resource ${item.resource?.uri}]` });
      else if (item.type === 'resource_link') parts.push({ type: 'text', text: `[resource ${item.uri}]` });
    }
    if (parts.length === 0 && result.structuredContent !== undefined) parts.push({ type: 'text', text: JSON.stringify(result.structuredContent) });
    const onlyText = parts.every((p) => p.type === 'text');
    return { content: onlyText ? parts.map((p) => (p as { text: string }).text).join('\n') : parts, ...(result.isError ? { is_error: true } : {}) };
  }

  async readResource(uri: string): Promise<string> {
    if (!this.client || this.status !== 'connected') throw new Error(`MCP server '${this.server.name}' is not connected.`);
    const result = await this.client.readResource({ uri });
    return result.contents.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.mimeType ?? 'binary'} content]`)).join('\n').slice(0, 64 * 1024);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }
}
