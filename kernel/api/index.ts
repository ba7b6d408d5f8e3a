// The kernel's public API: the only part of the kernel that extensions and the SDK may import.
export * from './extension.js';
export { RpcError, RpcErrorCode } from '../rpc/errors.js';
