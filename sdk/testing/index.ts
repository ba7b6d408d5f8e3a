// Test helpers for extension authors: the chat harness ("user says X → bot replies Y").
export * from './chat.js';
export * from './fake-llm.js';
