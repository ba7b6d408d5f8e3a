// Extension packages (.tgz): writing, reading with limits and integrity checks, extracting. Not re-exported from
// sdk/index.ts because isolate bundles cannot contain node:zlib; import sdk/packaging/index.js directly.
export { PACKAGE_LIMITS, PackageError, type PackageErrorCode } from './errors.js';
export { createPackage, sha256Hex } from './create.js';
export { readPackage, type ExtensionPackage } from './read.js';
export { extractPackage } from './extract.js';
export { packDirectory, type PackDirectoryOptions } from './pack-dir.js';
