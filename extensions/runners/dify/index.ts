/** langbot.runner-dify: the `dify-service-api` runner (a Dify app answers through the Dify Service API). */
import { defineExtension, type RunnerRequest } from '@langbot-ts/sdk';
import { runDify } from './runner.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'dify-service-api', { run: (request: RunnerRequest, call) => runDify(ctx, request, call?.signal) });
  },
});
