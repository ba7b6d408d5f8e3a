/** langbot.runner-coze: the `coze-api` runner (a bot on Coze, coze.cn or coze.com, through its chat API). */
import { defineExtension, type RunnerRequest } from '@langbot-ts/sdk';
import { runCoze } from './runner.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'coze-api', { run: (request: RunnerRequest) => runCoze(ctx, request) });
  },
});
