// Generates the standalone (precompiled) manifest validator the build bundles into the kernel.
import standaloneCode from 'ajv/dist/standalone/index.js';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ANNOTATION_KEYWORDS } from '../kernel/manifest/validator.js';
import { ExtensionManifest } from '../kernel/manifest/schema.js';

/** Same semantics as the kernel's validator (defaults applied in place), but stops at the first error. */
export function manifestCheckSource(): string {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: false, allowUnionTypes: true, code: { source: true, esm: true } });
  addFormats.default(ajv);
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  const generate = (standaloneCode as unknown as { default: typeof standaloneCode }).default ?? standaloneCode;
  return `${generate(ajv, ajv.compile(ExtensionManifest))}\nexport { validate as precompiledManifestCheck };\n`;
}
