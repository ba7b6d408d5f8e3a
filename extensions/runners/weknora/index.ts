/** langbot.runner-weknora: the `weknora-api` runner (WeKnora's agent or knowledge-base chat). */
import { RemoteIds, defineExtension, type InvocationContext, type RunnerRequest } from '@langbot-ts/sdk';
import { runWeKnora } from './runner.js';

export default defineExtension({
  activate(ctx) {
    // One store for every run, so that two messages arriving together share one new session.
    const sessions = new RemoteIds(ctx, 'session');
    ctx.provide('runners', 'weknora-api', { run: (request: RunnerRequest, invocation?: InvocationContext) => runWeKnora(sessions, request, invocation?.signal) });
  },
});
