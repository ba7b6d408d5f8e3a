import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import type { CoreService } from './core-service.js';

const MAX_VALUE_BYTES = 1024 * 1024;
const Key = Type.String({ minLength: 1, maxLength: 256 });

/** Per-extension key-value storage in `<data>/extension-data/<id>/kv.json`: each extension sees only its own keys. */
export function kvService(dataDir: string): CoreService {
  const stores = new Map<string, Promise<Low<Record<string, unknown>>>>();
  const open = (owner: string) => {
    let store = stores.get(owner);
    if (!store) {
      store = (async () => {
        const dir = join(dataDir, 'extension-data', owner);
        await mkdir(dir, { recursive: true });
        const db = new Low<Record<string, unknown>>(new JSONFile(join(dir, 'kv.json')), {});
        await db.read();
        return db;
      })();
      stores.set(owner, store);
    }
    return store;
  };
  return {
    get: { params: Type.Object({ key: Key }), run: async ({ key }, caller) => ({ value: (await open(caller)).data[key as string] ?? null }) },
    set: {
      params: Type.Object({ key: Key, value: Type.Unknown() }),
      run: async ({ key, value }, caller) => {
        const size = JSON.stringify(value ?? null).length;
        if (size > MAX_VALUE_BYTES) throw new RpcError(RpcErrorCode.PayloadTooLarge, `A stored value may be at most ${MAX_VALUE_BYTES} bytes; got ${size}.`);
        const db = await open(caller);
        await db.update((data) => void (data[key as string] = value));
        return {};
      },
    },
    delete: {
      params: Type.Object({ key: Key }),
      run: async ({ key }, caller) => {
        await (await open(caller)).update((data) => void delete data[key as string]);
        return {};
      },
    },
    list: { params: Type.Object({}), run: async (_args, caller) => ({ keys: Object.keys((await open(caller)).data) }) },
  };
}
