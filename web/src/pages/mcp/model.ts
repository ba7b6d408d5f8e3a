/** What `/api/v1/mcp/servers` takes and answers. */
export type Mode = 'stdio' | 'remote' | 'http' | 'sse';
export const MODES: Mode[] = ['stdio', 'remote', 'http', 'sse'];
export type Status = 'disabled' | 'connecting' | 'connected' | 'failed';

/** stdio: command, args, env, cwd; remote / http / sse: url, headers. Timeouts in seconds. */
export interface ServerArgs {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  timeout?: number;
  tool_call_timeout_sec?: number;
}

export interface McpServer {
  uuid: string;
  name: string;
  enable: boolean;
  mode: Mode;
  extra_args: ServerArgs;
  readme: string;
  created_at: string;
  updated_at: string;
  status: Status;
  last_error?: string;
  tool_count: number;
  resource_count: number;
}

export interface McpTool {
  name: string;
  description: string;
  parameters?: { properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export type TestResult =
  | { ok: true; latency_ms: number; tools: Array<{ name: string; description: string }>; resources: number }
  | { ok: false; latency_ms: number; error: string; logs?: Array<{ at: string; line: string }> };

export interface ServerBody {
  name: string;
  mode: Mode;
  enable: boolean;
  extra_args: ServerArgs;
  readme: string;
}

/** The value the server shows instead of a secret-looking env variable or header; sent back, it keeps the stored one. */
export const MASKED = '***';

export const statusTone = (status: Status): 'good' | 'warn' | 'bad' | 'neutral' =>
  status === 'connected' ? 'good' : status === 'failed' ? 'bad' : status === 'connecting' ? 'warn' : 'neutral';

export const serverPath = (uuid: string) => `/api/v1/mcp/servers/${encodeURIComponent(uuid)}`;
