import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ConfigForm, withFormDefinitions } from './config-form.js';
import { Contributions } from './contributions.js';
import { I18nString } from './i18n.js';
import { StringEnum, Strict, Strings } from './schema-helpers.js';

export const MANIFEST_ID_PATTERN = '^[a-z0-9][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)*$';

/** From semver.org; the `semver` package re-checks the value after schema validation. */
export const SEMVER_PATTERN =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)' +
  '(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?' +
  '(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';

export const ISOLATIONS = ['inprocess', 'worker', 'process', 'isolate'] as const;
export const ACTIVATIONS = ['eager', 'onUse'] as const;

export type Isolation = (typeof ISOLATIONS)[number];
export type Activation = (typeof ACTIVATIONS)[number];

function withDefault<S extends TSchema>(schema: S, value: unknown): S {
  return { ...schema, default: value };
}

export const Permissions = Strict(
  {
    services: Type.Optional(Strings({ default: [], description: 'Kernel services the extension may call.' })),
    fs: Type.Optional(Strict({ read: Type.Optional(Strings()), write: Type.Optional(Strings()) })),
    childProcess: Type.Optional(Type.Boolean()),
    worker: Type.Optional(Type.Boolean()),
    network: Type.Optional(Type.Boolean()),
  },
  { description: 'What the extension asks for; shown for approval before it runs and enforced by its host.' },
);

export const Resources = Strict({
  memoryMb: Type.Optional(Type.Integer({ minimum: 16, maximum: 4096 })),
  /** CPU time limit per call, enforced by the isolate host. */
  cpuTimeMs: Type.Optional(Type.Integer({ minimum: 1 })),
  hangTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const ServiceDependencies = Strict({
  provides: Type.Optional(Strings()),
  requires: Type.Optional(Strings()),
  optional: Type.Optional(Strings()),
});

export const ExtensionManifest = withFormDefinitions(
  Strict(
    {
      $schema: Type.Optional(Type.String()),
      id: Type.String({
        pattern: MANIFEST_ID_PATTERN,
        maxLength: 64,
        'x-hint': "a lowercase id such as 'acme.telegram-adapter' (dot-separated parts of a-z, 0-9 and '-')",
      }),
      version: Type.String({ pattern: SEMVER_PATTERN, 'x-hint': 'a semantic version such as 1.0.0' }),
      displayName: I18nString,
      description: Type.Optional(I18nString),
      author: Type.Optional(Type.String()),
      license: Type.Optional(Type.String()),
      repository: Type.Optional(Type.String()),
      icon: Type.Optional(Type.String()),
      categories: Type.Optional(Strings()),
      keywords: Type.Optional(Strings()),
      engines: Strict(
        { langbot: Type.String({ minLength: 1, description: 'Semver range of the kernel API this extension works with.' }) },
      ),
      entry: Type.Optional(
        Type.String({ minLength: 1, description: 'JS/TS module relative to the extension folder; needed unless only pages are contributed.' }),
      ),
      isolation: Type.Optional(
        StringEnum(ISOLATIONS, { default: 'process', description: 'Where the extension code runs; untrusted code should not use inprocess.' }),
      ),
      activation: Type.Optional(
        StringEnum(ACTIVATIONS, { default: 'onUse', description: 'Start at boot (eager) or when a contribution is first used.' }),
      ),
      permissions: Type.Optional(withDefault(Permissions, {})),
      resources: Type.Optional(Resources),
      services: Type.Optional(ServiceDependencies),
      config: Type.Optional({ ...ConfigForm, description: 'Settings form of the extension (JSON Schema with UI hints).' }),
      contributes: Type.Optional(withDefault(Contributions, {})),
    },
    { title: 'LangBot extension manifest' },
  ),
);

/** A manifest as written by its author. */
export type ExtensionManifestInput = Static<typeof ExtensionManifest>;

export type Permissions = Static<typeof Permissions> & { services: string[] };

/** A validated manifest: defaults are filled in. */
export type ExtensionManifest = Omit<
  ExtensionManifestInput,
  'isolation' | 'activation' | 'permissions' | 'contributes'
> & {
  isolation: Isolation;
  activation: Activation;
  permissions: Permissions;
  contributes: Contributions;
};
