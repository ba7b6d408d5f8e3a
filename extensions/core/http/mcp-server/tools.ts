/**
 * The tools LangBot offers as an MCP server (upstream's names and arguments). Each one is a REST route called
 * in-process: the route's permission, schemas and handler are the tool's, so a tool can neither see nor change more
 * than the same API key could through /api/v1, and secrets come back masked exactly as the API masks them.
 */
import type { RouteSpec } from '../api/routes.js';

export interface McpToolSpec {
  name: string;
  description: string;
  /** `METHOD /path` of the REST route the tool calls. */
  route: `${RouteSpec['method']} /${string}`;
  /** The argument that fills the route's `:uuid`. */
  uuidArg?: string;
  /** The argument (an object) sent as the route's body. */
  bodyArg?: string;
  /** Optional string arguments sent as the route's query. */
  queryArgs?: string[];
}

export const MCP_TOOLS: McpToolSpec[] = [
  { name: 'get_system_info', description: 'Version and switches of this LangBot instance.', route: 'GET /api/v1/system/info' },

  { name: 'list_bots', description: 'Every bot with its adapter, config (secrets masked), event handlers and running state.', route: 'GET /api/v1/platform/bots' },
  { name: 'get_bot', description: 'One bot with its state and webhook URL.', route: 'GET /api/v1/platform/bots/:uuid', uuidArg: 'bot_uuid' },
  { name: 'create_bot', description: 'Create a bot; it starts when enabled.', route: 'POST /api/v1/platform/bots', bodyArg: 'bot_data' },
  {
    name: 'update_bot',
    description: 'Change a bot (only the fields given); its adapter restarts when its config changes. A masked secret sent back keeps the stored one.',
    route: 'PUT /api/v1/platform/bots/:uuid',
    uuidArg: 'bot_uuid',
    bodyArg: 'bot_data',
  },
  { name: 'delete_bot', description: 'Stop and delete a bot.', route: 'DELETE /api/v1/platform/bots/:uuid', uuidArg: 'bot_uuid' },

  { name: 'list_pipelines', description: 'Every pipeline with its config, newest first.', route: 'GET /api/v1/pipelines' },
  { name: 'get_pipeline', description: 'One pipeline with its config.', route: 'GET /api/v1/pipelines/:uuid', uuidArg: 'pipeline_uuid' },
  { name: 'create_pipeline', description: 'Create a pipeline; sections of config not given take the default config.', route: 'POST /api/v1/pipelines', bodyArg: 'pipeline_data' },
  { name: 'update_pipeline', description: 'Change a pipeline (only the fields given).', route: 'PUT /api/v1/pipelines/:uuid', uuidArg: 'pipeline_uuid', bodyArg: 'pipeline_data' },
  { name: 'delete_pipeline', description: 'Delete a pipeline.', route: 'DELETE /api/v1/pipelines/:uuid', uuidArg: 'pipeline_uuid' },

  { name: 'list_llm_models', description: 'LLM models, optionally of one provider.', route: 'GET /api/v1/provider/models/llm', queryArgs: ['provider_uuid'] },
  { name: 'get_llm_model', description: 'One LLM model.', route: 'GET /api/v1/provider/models/llm/:uuid', uuidArg: 'model_uuid' },
  { name: 'list_embedding_models', description: 'Embedding models, optionally of one provider.', route: 'GET /api/v1/provider/models/embedding', queryArgs: ['provider_uuid'] },
  { name: 'list_model_providers', description: 'Model providers (API keys masked) with how many models each has.', route: 'GET /api/v1/provider/providers' },

  { name: 'list_mcp_servers', description: 'The MCP servers LangBot connects to, with their state (secrets masked).', route: 'GET /api/v1/mcp/servers' },
];
