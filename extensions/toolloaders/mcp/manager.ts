/**
 * Keeps one connection per enabled MCP server. A server that fails to connect is retried after 2, 4 and 8 s,
 * then left failed with its error until it is changed, re-enabled or tested. Stdio servers can be turned off
 * as a whole (`stdioEnabled: false`).
 */
import type { ExtensionContext, LoaderTool, ToolResult } from '@langbot-ts/sdk';
import { McpConnection } from './connection.js';
import type { McpServer } from './store.js';

const RETRY_DELAYS_MS = [2_000, 4_000, 8_000];
export const LIST_RESOURCES = 'langbot_mcp_list_resources';
export const READ_RESOURCE = 'langbot_mcp_read_resource';

export class McpManager {
  readonly connections = new Map<string, McpConnection>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    private readonly ctx: ExtensionContext,
    private readonly stdioEnabled: boolean,
  ) {}

  /** Starts (or restarts) the server's connection in the background; resolves when the first attempt ends. */
  async apply(server: McpServer): Promise<McpConnection> {
    await this.stop(server.uuid);
    const connection = new McpConnection(server);
    this.connections.set(server.uuid, connection);
    if (!server.enable) {
      connection.status = 'disabled';
      return connection;
    }
    if (server.mode === 'stdio' && !this.stdioEnabled) {
      connection.status = 'failed';
      connection.last_error = 'Stdio MCP servers are turned off (langbot.mcp setting stdioEnabled).';
      return connection;
    }
    await this.attempt(connection, 0);
    return connection;
  }

  private async attempt(connection: McpConnection, retry: number): Promise<void> {
    try {
      await connection.connect();
    } catch (error) {
      const delay = RETRY_DELAYS_MS[retry];
      const reason = error instanceof Error ? error.message : String(error);
      this.ctx.log.warn(`MCP server '${connection.server.name}' could not connect: ${reason}${delay ? `; retrying in ${delay / 1000} s` : ''}.`);
      if (delay === undefined || this.closed || this.connections.get(connection.server.uuid) !== connection) return;
      const timer = setTimeout(() => {
        this.timers.delete(connection.server.uuid);
        void this.attempt(connection, retry + 1);
      }, delay);
      timer.unref?.();
      this.timers.set(connection.server.uuid, timer);
    }
  }

  async stop(uuid: string): Promise<void> {
    clearTimeout(this.timers.get(uuid));
    this.timers.delete(uuid);
    const existing = this.connections.get(uuid);
    this.connections.delete(uuid);
    await existing?.close();
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.connections.keys()].map((uuid) => this.stop(uuid)));
  }

  /** The tools of connected servers, each namespaced by its server; plus resource tools when any server has some. */
  tools(): LoaderTool[] {
    const out: LoaderTool[] = [];
    let resources = false;
    for (const c of this.connections.values()) {
      if (c.status !== 'connected') continue;
      for (const t of c.tools) out.push({ name: t.name, description: t.description, parameters: t.parameters, namespace: c.server.name });
      resources ||= c.resources.length > 0;
    }
    if (resources) {
      out.push({ name: LIST_RESOURCES, namespace: 'langbot', description: 'List the resources (documents, files, data) the connected MCP servers offer.', parameters: { type: 'object', properties: {} } });
      out.push({
        name: READ_RESOURCE,
        namespace: 'langbot',
        description: 'Read one MCP resource by its URI (as listed by langbot_mcp_list_resources).',
        parameters: { type: 'object', properties: { server: { type: 'string' }, uri: { type: 'string' } }, required: ['uri'] },
      });
    }
    return out;
  }

  async call(name: string, namespace: string | undefined, args: Record<string, unknown>): Promise<ToolResult> {
    if (name === LIST_RESOURCES) {
      const list = [...this.connections.values()].filter((c) => c.status === 'connected').flatMap((c) => c.resources.map((r) => ({ server: c.server.name, ...r })));
      return { content: JSON.stringify(list) };
    }
    if (name === READ_RESOURCE) {
      const uri = String(args.uri ?? '');
      const owner = [...this.connections.values()].find((c) => c.status === 'connected' && (args.server ? c.server.name === args.server : c.resources.some((r) => r.uri === uri)));
      if (!owner) return { content: `No connected MCP server offers the resource ${uri}.`, is_error: true };
      return { content: await owner.readResource(uri) };
    }
    const connection = [...this.connections.values()].find((c) => c.status === 'connected' && (namespace === undefined || c.server.name === namespace) && c.tools.some((t) => t.name === name));
    if (!connection) return { content: `No connected MCP server offers the tool ${namespace ? `${namespace}/` : ''}${name}.`, is_error: true };
    return connection.call(name, args);
  }
}
