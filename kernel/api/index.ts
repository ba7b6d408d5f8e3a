// The kernel's public API: the only part of the kernel that extensions and the SDK may import.
export * from './extension.js';
export { RpcError, RpcErrorCode } from '../rpc/errors.js';
// Config forms: extensions that store configuration of their own (pipelines, bots) validate it the way manifests do.
export { validateConfig, secretKeys, redactConfig, type ConfigForm, type FormField, type ConfigValidation } from '../manifest/config-form.js';
export { localize, type I18nString } from '../manifest/i18n.js';
export { KERNEL_API_VERSION } from './version.js';
// Permission grants: what an update asks for beyond what was approved.
export { missingPermissions, unionPermissions, type PermissionGrant } from '../manifest/permissions.js';
// The manifest's shapes, per contribution point (types only: nothing of the validators is bundled).
export type {
  Contribution,
  ContributionPoint,
  Contributions,
  AdapterContribution,
  RunnerContribution,
  RequesterContribution,
  ToolContribution,
  ToolLoaderContribution,
  VectorStoreContribution,
  EventHandlerContribution,
  StageContribution,
  BoxBackendContribution,
  CommandContribution,
  ParserContribution,
  KnowledgeEngineContribution,
  StorageContribution,
  PageContribution,
  EventListenerContribution,
} from '../manifest/contributions.js';
export type { ExtensionManifest } from '../manifest/schema.js';
