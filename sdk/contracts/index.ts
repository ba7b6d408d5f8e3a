// Shared contracts between adapters, runners and handlers: message chains, unified events, the platform API.
export * from './message-chain.js';
export * from './message-chain-codec.js';
export * from './message-chain-helpers.js';
export * from './entities.js';
export * from './events.js';
export * from './event-patterns.js';
export * from './event-validation.js';
export * from './platform-api.js';
export * from './declarations.js';
export * from './event-handlers.js';
export * from './pipeline.js';
export * from './conversation.js';
export * from './models.js';
export * from './tools.js';
export * from './debug-chat.js';
