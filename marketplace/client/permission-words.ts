import { missingPermissions } from '../../kernel/manifest/permissions.js';
import type { Permissions } from '../../kernel/manifest/index.js';

/** One permission string of kernel/manifest/permissions.ts (`service:llm`, `fs.read:/tmp`, …) in plain English. */
export function permissionInWords(permission: string): string {
  const [kind, ...rest] = permission.split(':');
  const arg = rest.join(':');
  switch (kind) {
    case 'service':
      return `use the kernel service "${arg}"`;
    case 'network':
      return 'open network connections (internet access)';
    case 'fs.read':
      return `read files in ${arg}`;
    case 'fs.write':
      return `write files in ${arg}`;
    case 'childProcess':
      return 'start other programs (child processes)';
    case 'worker':
      return 'start worker threads';
    default:
      return permission;
  }
}

/** Every permission `permissions` asks for, in plain English; empty when it asks for nothing. */
export function permissionsInWords(permissions: Partial<Permissions> | undefined): string[] {
  return missingPermissions((permissions ?? {}) as Permissions, undefined).map(permissionInWords);
}
