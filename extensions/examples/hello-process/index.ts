import { defineExtension } from '@langbot-ts/sdk';

export default defineExtension({
  activate(ctx) {
    ctx.provide('tools', 'hello-process', {
      call: (args: { name: string }) => ({ text: `${ctx.config.greeting}, ${args.name}! (from process)` }),
    });
  },
});
