/**
 * langbot.models: providers (a requester, a base URL, API keys) and the LLM, embedding and rerank models on them;
 * calls to models with key rotation and fallbacks. Provides the `models` service.
 */
import { defineExtension, openDatabase } from '@langbot-ts/sdk';
import { ModelInvoker } from './invoke.js';
import { KeyRotation } from './keys.js';
import { modelsService } from './service.js';
import { ModelStore, type ModelsDatabase } from './store.js';

export default defineExtension({
  async activate(ctx) {
    const db = await openDatabase<ModelsDatabase>(ctx);
    const store = new ModelStore(db);
    await store.migrate();
    const invoker = new ModelInvoker(ctx, store, new KeyRotation(), db as never);
    ctx.provideService('models', modelsService(ctx, store, invoker));
  },
});
