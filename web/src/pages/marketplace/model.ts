/** What `/api/v1/marketplace/*` answers (extensions/core/http/routes/marketplace.ts), and the calls the pages make. */
import type { Permissions } from '../../components/permissions';
import { api, query } from '../../lib/api';

export type I18n = Record<string, string>;

export interface ListItem {
  id: string;
  display_name: I18n;
  description: I18n;
  author: string;
  categories: string[];
  kinds: string[];
  latest_version: string;
  installed_version: string | null;
  update_available: boolean;
  state: string | null;
}

export interface RegistryRef {
  name: string;
  mirror: string;
  stale: boolean;
}

export interface ExtensionList {
  extensions: ListItem[];
  kinds: string[];
  categories: string[];
  registry: RegistryRef;
}

export interface RegistryStatus extends RegistryRef {
  fetched_at: number | string | null;
  /** `ok` is null for mirrors after the one that answered (not tried). */
  mirrors: Array<{ url: string; ok: boolean | null; error: string | null }>;
}

export interface VersionInfo {
  version: string;
  published_at: string;
  compatible: boolean;
  permissions: Permissions;
  size: number;
}

export interface Installed {
  version: string;
  previous_versions: string[];
  approved_permissions: Permissions;
  state: string | null;
  reason: string | null;
}

export interface ExtensionDetails extends ListItem {
  license: string | null;
  repository: string | null;
  keywords: string[];
  readme: string | null;
  isolation: string;
  permissions: Permissions;
  contributes: Record<string, string[]>;
  versions: VersionInfo[];
  installed: Installed | null;
  new_permissions: string[];
  required_permissions: string[];
}

export type TaskKind = 'install' | 'update' | 'rollback' | 'uninstall';

export interface Task {
  id: string;
  kind: TaskKind;
  extension_id: string;
  version: string | null;
  state: 'running' | 'succeeded' | 'failed';
  step: string;
  message: string;
  progress: { done: number; total: number } | null;
  log: Array<{ at: string | number; step: string; message: string }>;
  error: { code: string; message: string; details?: Record<string, unknown> | null } | null;
  created_at: string | number;
  finished_at: string | number | null;
}

const BASE = '/api/v1/marketplace';
const ext = (id: string) => `${BASE}/extensions/${encodeURIComponent(id)}`;

export const market = {
  registry: () => api.get<RegistryStatus>(`${BASE}/registry`),
  list: (filters: { q: string; kind: string; category: string }) => api.get<ExtensionList>(`${BASE}/extensions${query(filters)}`),
  details: (id: string) => api.get<{ extension: ExtensionDetails }>(ext(id)),
  task: (taskId: string) => api.get<{ task: Task }>(`${BASE}/tasks/${encodeURIComponent(taskId)}`),
  install: (id: string, version: string, approved: Permissions) => api.post<{ task_id: string }>(`${ext(id)}/install`, { version, approved_permissions: approved }),
  update: (id: string, approved: Permissions) => api.post<{ task_id: string }>(`${ext(id)}/update`, { approved_permissions: approved }),
  rollback: (id: string) => api.post<{ task_id: string }>(`${ext(id)}/rollback`),
  uninstall: (id: string, deleteData: boolean) => api.del<{ task_id: string }>(`${ext(id)}${query({ delete_data: deleteData })}`),
};

/** The newest version this LangBot can run (versions come newest first). */
export const newestCompatible = (e: ExtensionDetails) => e.versions.find((v) => v.compatible) ?? null;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
