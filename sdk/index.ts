// The extension SDK: the kernel's public API (types and `define*` helpers).
export * from '../kernel/api/index.js';
export * from './contracts/index.js';
export * from './persistence/index.js';
export * from './runners/index.js';
export * from './adapters/index.js';
export * from './host/index.js';
