#!/usr/bin/env node
// The `langbot` command: runs the built CLI, building it first when dist/ is missing (e.g. a fresh checkout).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/langbot.mjs', import.meta.url);
if (!existsSync(cli)) {
  const { buildAll } = await import('../scripts/build.mjs');
  await buildAll();
}
await import(cli.href);
