import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// From source (sdk/cli/*.ts) and from the bundle (sdk/dist/cli.mjs) the SDK root is one folder up.
export const SDK_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const TEMPLATES_DIR = join(SDK_ROOT, 'templates');
/** The kernel's launcher in the LangBot TS checkout this SDK belongs to. */
export const DEFAULT_KERNEL_BIN = join(SDK_ROOT, '..', 'bin', 'langbot.mjs');
/** Where the kernel resolves shared packages from; extension bundles use the same folder. */
export const REPO_NODE_MODULES = join(SDK_ROOT, '..', 'node_modules');
