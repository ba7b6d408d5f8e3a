/** langbot.runner-deerflow: the `deerflow-api` runner (a DeerFlow agent through its LangGraph API). */
import { defineExtension, type InvocationContext, type RunnerRequest } from '@langbot-ts/sdk';
import { runDeerFlow } from './runner.js';
import { ThreadStore } from './threads.js';

export default defineExtension({
  activate(ctx) {
    const threads = new ThreadStore(ctx);
    ctx.provide('runners', 'deerflow-api', { run: (request: RunnerRequest, invocation?: InvocationContext) => runDeerFlow(threads, request, invocation?.signal) });
  },
});
