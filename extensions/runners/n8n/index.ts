/** langbot.runner-n8n: the `n8n-service-api` runner (an n8n workflow answers through its webhook). */
import { defineExtension, type RunnerRequest } from '@langbot-ts/sdk';
import { runN8n } from './runner.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'n8n-service-api', { run: (request: RunnerRequest, call) => runN8n(ctx, request, call?.signal) });
  },
});
