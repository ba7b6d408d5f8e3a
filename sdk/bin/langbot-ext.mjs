#!/usr/bin/env node
// The `langbot-ext` command: runs the bundled CLI, bundling it first when it is missing or older than sdk/cli/.
import { pathToFileURL } from 'node:url';
import { buildCli, cliIsStale, CLI_BUNDLE } from './build-cli.mjs';

if (cliIsStale()) await buildCli();
await import(pathToFileURL(CLI_BUNDLE).href);
