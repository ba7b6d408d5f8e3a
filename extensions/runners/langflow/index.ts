/** langbot.runner-langflow: the `langflow-api` runner (a Langflow flow through its run API). */
import { defineExtension, type InvocationContext, type RunnerRequest } from '@langbot-ts/sdk';
import { runLangflow } from './runner.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'langflow-api', { run: (request: RunnerRequest, invocation?: InvocationContext) => runLangflow(request, invocation?.signal) });
  },
});
