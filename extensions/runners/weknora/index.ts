/** langbot.runner-weknora: the `weknora-api` runner (WeKnora's agent or knowledge-base chat). */
import { defineExtension, type InvocationContext, type RunnerRequest } from '@langbot-ts/sdk';
import { runWeKnora } from './runner.js';
import { SessionStore } from './sessions.js';

export default defineExtension({
  activate(ctx) {
    const sessions = new SessionStore(ctx);
    ctx.provide('runners', 'weknora-api', { run: (request: RunnerRequest, invocation?: InvocationContext) => runWeKnora(sessions, request, invocation?.signal) });
  },
});
