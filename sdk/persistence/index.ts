// Shared persistence layer: the core schema, portable migrations and the Kysely dialect over the `persistence` service.
export * from './schema.js';
export * from './migrations.js';
export * from './remote-driver.js';
export * from './statements.js';
