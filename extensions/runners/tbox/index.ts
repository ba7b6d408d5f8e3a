/** langbot.runner-tbox: the `tbox-app-api` runner (an agent on Ant Group's Tbox, 百宝箱). */
import { defineExtension, type RunnerRequest } from '@langbot-ts/sdk';
import { runTbox } from './runner.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'tbox-app-api', { run: (request: RunnerRequest) => runTbox(ctx, request) });
  },
});
