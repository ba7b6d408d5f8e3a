/** langbot.requester-anthropic: Anthropic's Messages API. */
import { defineExtension } from '@langbot-ts/sdk';
import { anthropicMessages } from './requester.js';

export default defineExtension({
  activate(ctx) {
    ctx.provide('requesters', 'anthropic-messages', anthropicMessages);
  },
});
