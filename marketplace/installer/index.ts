export { Installer, type InstallerOptions } from './installer.js';
export { StateFileActivator, type StateFileActivatorOptions } from './state-file-activator.js';
export { selectVersion, worksWith } from './select-version.js';
export type { Activator, InstallRecord, InstallStep, Progress } from './types.js';
// For the in-kernel marketplace service, which may use marketplace/ but not kernel internals directly.
export { KERNEL_API_VERSION } from '../../kernel/api/version.js';
export { missingPermissions, unionPermissions } from '../../kernel/manifest/permissions.js';
