import { contentText, defineExtension, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';

export default defineExtension({
  activate(ctx) {
    // The runner the manifest declares under contributes.runners. `run` yields what the bot says: here one
    // complete assistant message (yield `streaming: true` chunks instead when `request.stream` is set).
    ctx.provide('runners', '{{key}}', {
      async *run(request: RunnerRequest): AsyncGenerator<RunnerMessage> {
        const greeting = typeof request.config.greeting === 'string' ? request.config.greeting : 'Hi';
        const text = contentText(request.user_message.content);
        yield { role: 'assistant', content: `${greeting}! Message ${request.messages.length / 2 + 1} of this chat: ${text}` };
      },
    });
  },
});
