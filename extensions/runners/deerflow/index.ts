/** langbot.runner-deerflow: the `deerflow-api` runner (a DeerFlow agent through its LangGraph API). */
import { RemoteIds, defineExtension, type InvocationContext, type RunnerRequest } from '@langbot-ts/sdk';
import { runDeerFlow } from './runner.js';

export default defineExtension({
  activate(ctx) {
    // One store for every run, so that two messages arriving together share one new thread.
    const threads = new RemoteIds(ctx, 'thread');
    ctx.provide('runners', 'deerflow-api', { run: (request: RunnerRequest, invocation?: InvocationContext) => runDeerFlow(threads, request, invocation?.signal) });
  },
});
