import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/prebundle.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Extension bundles load with Node's own import, as in production: vitest's module runner would re-process
    // every multi-megabyte bundle (seconds each) and supply a require() that Node does not.
    server: { deps: { external: [/\.cache\/bundles\//, /langbot-test-bundles\//] } },
    reporters: ['default'],
  },
});
