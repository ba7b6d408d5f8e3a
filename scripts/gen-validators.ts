// Generates the standalone (precompiled) manifest validator the build bundles into the kernel.
import standaloneCode from 'ajv/dist/standalone/index.js';
import { Ajv } from 'ajv';
import { ANNOTATION_KEYWORDS } from '../kernel/manifest/validator.js';
import { ExtensionManifest } from '../kernel/manifest/schema.js';

/** Same semantics as the kernel's validator (defaults applied in place), but stops at the first error. */
export function manifestCheckSource(): string {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false, allowUnionTypes: true, code: { source: true, esm: true } });
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  // ajv's standalone module is CommonJS with a default export; under ESM interop it may arrive wrapped once more.
  const generate = ((standaloneCode as unknown as { default?: unknown }).default ?? standaloneCode) as (ajv: Ajv, v: unknown) => string;
  return `${generate(ajv, ajv.compile(ExtensionManifest))}\nexport { validate as precompiledManifestCheck };\n`;
}
