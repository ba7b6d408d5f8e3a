/** langbot.runner-local-agent: the `local-agent` runner (a model of the pipeline's choosing, tools, knowledge). */
import { defineExtension, type RunnerRequest } from '@langbot-ts/sdk';
import { runAgent } from './agent.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'local-agent', { run: (request: RunnerRequest) => runAgent(ctx, request) });
  },
});
