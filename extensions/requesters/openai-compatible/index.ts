/** langbot.requesters-openai-compatible: one implementation behind every OpenAI-compatible preset. */
import { defineExtension } from '@langbot-ts/sdk';
import { PRESET_IDS } from './presets.js';
import { openAiCompatible } from './requester.js';

export default defineExtension({
  activate(ctx) {
    for (const id of PRESET_IDS) ctx.provide('requesters', id, openAiCompatible);
  },
});
