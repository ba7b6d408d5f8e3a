/** langbot.runner-dashscope: the `dashscope-app-api` runner (an Aliyun Model Studio agent or workflow application). */
import { defineExtension, type RunnerRequest } from '@langbot-ts/sdk';
import { runDashScope } from './runner.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'dashscope-app-api', { run: (request: RunnerRequest) => runDashScope(ctx, request) });
  },
});
