/** API keys as `/api/v1/apikeys` answers them, and the permission names a key's scopes are made of. */
export interface ApiKey {
  uuid: string;
  name: string;
  description: string;
  scopes: string[];
  status: 'active' | 'revoked' | string;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

/** The same list as the server's guard (extensions/core/http/auth/guard.ts); `*` stands for all of them. */
export const PERMISSIONS = [
  'resource.view',
  'resource.manage',
  'runtime.operate',
  'provider_secret.manage',
  'api_key.manage',
  'audit.view',
  'data.export',
  'workspace.update',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const permissionKey = (p: string) => `perm_${p.replace(/\./g, '_')}` as `perm_${string}`;

/** Revoked, expired (the server refuses it) or active. */
export function keyStatus(key: ApiKey, now = Date.now()): 'active' | 'revoked' | 'expired' {
  if (key.status === 'revoked') return 'revoked';
  if (key.expires_at && Date.parse(key.expires_at) <= now) return 'expired';
  return 'active';
}
