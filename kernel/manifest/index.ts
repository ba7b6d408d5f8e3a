export { DEFAULT_LOCALE, I18nString, LOCALE_PATTERN, localize, type I18nText } from './i18n.js';
export {
  ConfigForm,
  FORM_FIELD_REF,
  FORM_FIELD_TYPES,
  FORM_WIDGETS,
  FormFieldSchema,
  configFormToJsonSchema,
  redactConfig,
  secretKeys,
  validateConfig,
  validateConfigForm,
  withFormDefinitions,
  type ConfigValidation,
  type FormField,
  type FormFieldType,
  type FormWidget,
  type JsonSchema,
} from './config-form.js';
export * from './contributions.js';
export {
  ACTIVATIONS,
  ExtensionManifest,
  ISOLATIONS,
  MANIFEST_ID_PATTERN,
  Permissions,
  Resources,
  ServiceDependencies,
  type Activation,
  type ExtensionManifestInput,
  type Isolation,
} from './schema.js';
export { formatIssue, type ManifestIssue } from './issues.js';
export { ajv, createValidator, type ValidationResult, type Validator } from './validator.js';
export { validateManifest, type ManifestValidation } from './validate.js';
export { MANIFEST_FILE_NAMES, parseManifest, readManifest, type ManifestReadResult } from './load.js';
export { missingPermissions, unionPermissions, type PermissionGrant } from './permissions.js';
