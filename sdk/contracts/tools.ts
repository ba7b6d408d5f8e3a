/**
 * Tool contracts. Extensions contribute single tools (`tools:<name>.call(args)`) or tool loaders
 * (`toolLoaders:<id>`, e.g. MCP) that bring many; the `tools` service puts them under one list with unique names
 * and one permission policy, and runs them for runners.
 */
import type { ContentPart } from './conversation.js';
import type { ToolSpec } from './models.js';

/** Who is calling a tool: what the permission policy and monitoring see. */
export interface ToolCallContext {
  bot_uuid?: string;
  pipeline_uuid?: string;
  session_id?: string;
  runner?: string;
  query_id?: string;
}

/** A tool's answer. `is_error` tells the model the call failed (it may retry); it does not stop the run. */
export interface ToolResult {
  content: string | ContentPart[];
  is_error?: boolean;
}

/** A tool a loader offers. `namespace` (e.g. the MCP server's name) qualifies its name when names collide. */
export interface LoaderTool extends ToolSpec {
  namespace: string;
}

/** What a `toolLoaders` contribution implements. */
export interface ToolLoaderApi {
  list(args: Record<string, never>): Promise<{ tools: LoaderTool[] }>;
  call(args: { name: string; arguments: Record<string, unknown>; context: ToolCallContext }): Promise<ToolResult>;
}

/** A tool as the `tools` service lists it. */
export interface ToolInfo extends ToolSpec {
  /** `extension` for a single-tool contribution, else the loader's id (e.g. `mcp`). */
  source: string;
  /** The name the source knows it by (differs from `name` when a collision qualified it). */
  original_name: string;
  namespace?: string;
  /** The extension or loader that provides it. */
  owner: string;
}
