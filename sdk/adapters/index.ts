export * from './bot-registry.js';
export * from './event-sink.js';
export * from './redact.js';
export * from './webhook.js';
export * from './frame-queue.js';
