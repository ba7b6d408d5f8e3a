// Node entry of the RPC layer: installs vscode-jsonrpc's Node runtime (timers, encoders) before any connection exists.
import 'vscode-jsonrpc/node';
import { useMicrotaskScheduling } from './microtask-ral.js';

useMicrotaskScheduling();

export * from './errors.js';
export * from './method.js';
export * from './protocol.js';
export * from './frames.js';
export * from './peer.js';
export { toRpcError } from './wire-errors.js';
export * from './latency.js';
export { createMemoryPair } from './transports/memory.js';
export { createPortTransport, type PortLike } from './transports/port.js';
export { createStreamTransport } from './transports/stream.js';
// The WebSocket transport is imported from './transports/websocket.js' by what needs it, so `ws` stays out of start-up.
