import { defineExtension } from '@langbot-ts/sdk';

export default defineExtension({
  activate(ctx) {
    // The tool the manifest declares under contributes.tools; `call` gets the arguments the model chose.
    ctx.provide('tools', '{{key}}', {
      call: (args: { name: string }) => ({ text: `${ctx.config.greeting}, ${args.name}!` }),
    });
  },
});
