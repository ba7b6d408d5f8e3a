/**
 * langbot.mcp: MCP servers (stdio, Streamable HTTP, SSE) whose tools and resources models can use. Provides the
 * `mcp` service (manage, test, logs) and the `mcp` tool loader.
 */
import { defineExtension, openDatabase } from '@langbot-ts/sdk';
import { McpManager } from './manager.js';
import { mcpService } from './service.js';
import { McpStore, type McpDatabase } from './store.js';

export default defineExtension({
  async activate(ctx) {
    const store = new McpStore(await openDatabase<McpDatabase>(ctx));
    await store.migrate();
    const manager = new McpManager(ctx, ctx.config.stdioEnabled !== false);
    ctx.provideService('mcp', mcpService(store, manager));
    ctx.provide('toolLoaders', 'mcp', {
      list: async () => ({ tools: manager.tools() }),
      call: (args: { name: string; namespace?: string; arguments?: Record<string, unknown> }) => manager.call(args.name, args.namespace, args.arguments ?? {}),
    });
    // Connecting must not hold up activation: servers come up in the background.
    void store.list().then((servers) => Promise.all(servers.map((s) => manager.apply(s))));
    ctx.onDispose(() => manager.closeAll());
  },
});
