/**
 * Replaced in the built kernel by an ajv standalone validator of the manifest schema (scripts/build.mjs), so a
 * start-up does not spend ~100 ms compiling it. It only says yes or no; a manifest it rejects is validated again
 * by the runtime-compiled validator, which explains every problem.
 */
export const precompiledManifestCheck: ((value: unknown) => boolean) | undefined = undefined;
