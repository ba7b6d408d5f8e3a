/**
 * langbot.tools: one list of the tools models may call — single-tool contributions and tool loaders such as MCP —
 * with unique names, one permission policy, argument checks and a record of every call. Provides `tools`.
 */
import { defineExtension, openDatabase } from '@langbot-ts/sdk';
import { ToolCatalog } from './catalog.js';
import { ToolPolicy, type PolicyRule } from './policy.js';
import { toolsService } from './service.js';

export default defineExtension({
  async activate(ctx) {
    const db = await openDatabase(ctx);
    const policy = new ToolPolicy((ctx.config.policy as PolicyRule[] | undefined) ?? []);
    ctx.provideService('tools', toolsService(ctx, new ToolCatalog(ctx), () => policy, db));
  },
});
