import { defineExtension } from '@langbot-ts/sdk';

export default defineExtension({
  activate(ctx) {
    ctx.provide('tools', 'hello-worker', {
      call: (args: { name: string }) => ({ text: `${ctx.config.greeting}, ${args.name}! (from worker)` }),
    });
  },
});
