/** What `/api/v1/extensions` answers, and the one state a person sees for an extension. */
import type { ConfigForm } from '../../components/form';
import type { Permissions } from '../../components/permissions';

export interface Health {
  state: 'starting' | 'running' | 'restarting' | 'crash-loop' | 'stopped';
  restarts: number;
  last_error: string | null;
  rpc_p50_ms: number | null;
  rpc_p99_ms: number | null;
}


export interface ExtensionSummary {
  id: string;
  version: string | null;
  display_name: unknown;
  description: unknown;
  source: string;
  isolation: 'inprocess' | 'worker' | 'process' | 'isolate';
  enabled: boolean;
  state: 'pending' | 'loading' | 'active' | 'failed' | 'disposed';
  reason: string;
  since: number;
  health: Health | null;
  permissions: Permissions;
  contributes: Record<string, string[]>;
  services: { provides?: string[]; requires?: string[]; optional?: string[] };
  has_config: boolean;
  issues: string | string[] | null;
}

export interface ExtensionDetails extends ExtensionSummary {
  config_form: ConfigForm | null;
  config: Record<string, unknown>;
}

export interface LogEntry {
  time: number;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  ext: string;
  msg: string;
  data?: Record<string, unknown>;
}

/** The HTTP server refuses to disable or configure itself over HTTP (a mistake would lock everyone out). */
export const HTTP_EXTENSION = 'langbot.http';

export type Status = 'active' | 'pending' | 'starting' | 'failed' | 'disabled' | 'stopped' | 'restarting';
export const STATUSES: Status[] = ['active', 'pending', 'starting', 'restarting', 'failed', 'disabled', 'stopped'];

/** Disabled wins over the lifecycle state; a supervisor restarting a crashed host is shown as such. */
export function statusOf(ext: ExtensionSummary): Status {
  if (!ext.enabled) return 'disabled';
  if (ext.state === 'failed') return 'failed';
  if (ext.health && (ext.health.state === 'restarting' || ext.health.state === 'crash-loop')) return 'restarting';
  if (ext.state === 'active') return 'active';
  if (ext.state === 'pending') return 'pending';
  if (ext.state === 'loading') return 'starting';
  return 'stopped';
}

export const statusTone = (status: Status): 'good' | 'warn' | 'bad' | 'info' | 'neutral' =>
  status === 'active' ? 'good' : status === 'failed' ? 'bad' : status === 'restarting' || status === 'starting' ? 'warn' : status === 'pending' ? 'info' : 'neutral';

/** While an extension is starting its state is not final yet: pages poll until it settles. */
export const settling = (ext: ExtensionSummary) => ext.enabled && ext.state === 'loading';

export const issuesText = (issues: ExtensionSummary['issues']) => (issues === null ? '' : Array.isArray(issues) ? issues.join('\n') : String(issues));
