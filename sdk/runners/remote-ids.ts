/**
 * The platform's own id (a conversation, thread or session) for each LangBot conversation, kept in the kernel's
 * key-value store (the extension needs the `kv` service) so a restart continues the same remote conversation.
 * Keyed by LangBot's id: when a LangBot conversation expires, the next one starts a new remote one.
 */
import type { ExtensionContext } from '../../kernel/api/index.js';
import type { RunnerRequest } from '../contracts/conversation.js';

const MAX_KEY_CHARS = 256;

export interface RemoteIdLink {
  /** The remote id, if there is one yet. */
  readonly current: string | undefined;
  /** Stores a remote id the platform named (nothing happens for none, or the current one). */
  remember(remoteId: string | undefined): Promise<void>;
  forget(): Promise<void>;
}

export interface RemoteIdCalls<T> {
  /** Makes a new remote id on the platform. */
  create(): Promise<string>;
  /** Uses the remote id; `gone` when the platform does not know it. */
  use(remoteId: string): Promise<T | 'gone'>;
  /** The error when a remote id just made is gone too. */
  lost(remoteId: string): Error;
}

/** An id alone, or with the owner it was made for. */
type Stored = string | { id: string; owner: string };

/** What a request continues: its conversation, or its chat (session) when it has none, as the agent handler's has not. */
export function conversationOf(request: RunnerRequest): string {
  return request.conversation_id ? `conversation:${request.conversation_id}` : `session:${request.session_id}`;
}

export class RemoteIds {
  /** Ids being created, so two messages arriving together do not make two remote conversations. */
  private readonly creating = new Map<string, Promise<string>>();

  /** `scope` separates the ids of different runners, bots or apps, e.g. `coze:<bot-id>`. */
  constructor(
    private readonly ctx: ExtensionContext,
    private readonly scope: string,
  ) {}

  /**
   * The remote id of a LangBot conversation (none for an empty id). With an `owner` (the server or app an id was
   * made on), an id stored for another owner is not returned: it would mean nothing there.
   */
  async get(localId: string, owner?: string): Promise<string | undefined> {
    if (!localId) return undefined;
    const { value } = await this.ctx.call<{ value: Stored | null }>('kv', 'get', { key: await this.key(localId) });
    if (owner === undefined) return typeof value === 'string' && value !== '' ? value : undefined;
    return value !== null && typeof value === 'object' && value.owner === owner && typeof value.id === 'string' && value.id !== '' ? value.id : undefined;
  }

  async set(localId: string, remoteId: string, owner?: string): Promise<void> {
    if (!localId || !remoteId) return;
    await this.ctx.call('kv', 'set', { key: await this.key(localId), value: (owner === undefined ? remoteId : { id: remoteId, owner }) satisfies Stored });
  }

  async forget(localId: string): Promise<void> {
    if (localId) await this.ctx.call('kv', 'delete', { key: await this.key(localId) });
  }

  /**
   * The remote id of a LangBot conversation as the run found it, remembered when the platform names a new one, and
   * forgotten when the platform no longer knows it.
   */
  async link(localId: string, owner?: string): Promise<RemoteIdLink> {
    let current = await this.get(localId, owner);
    const remember = async (remoteId: string | undefined) => {
      if (!remoteId || remoteId === current) return;
      current = remoteId;
      await this.set(localId, remoteId, owner);
    };
    const forget = async () => {
      current = undefined;
      await this.forget(localId);
    };
    return {
      get current() {
        return current;
      },
      remember,
      forget,
    };
  }

  /**
   * Calls `use` with the remote id of a LangBot conversation, made with `create` when none is stored for this owner.
   * When `use` answers `gone` (the platform has lost the id), a new one is made and used once more; gone again,
   * `lost` says why the run fails.
   */
  async withRemoteId<T>(localId: string, owner: string | undefined, calls: RemoteIdCalls<T>): Promise<T> {
    let remoteId = (await this.get(localId, owner)) ?? (await this.create(localId, owner, calls.create));
    let result = await calls.use(remoteId);
    if (result !== 'gone') return result;
    remoteId = await this.create(localId, owner, calls.create);
    result = await calls.use(remoteId);
    if (result === 'gone') throw calls.lost(remoteId);
    return result;
  }

  /** Makes a remote id with `make` and stores it (replacing one the platform has lost); concurrent calls share one. */
  private create(localId: string, owner: string | undefined, make: () => Promise<string>): Promise<string> {
    const pending = this.creating.get(localId);
    if (pending) return pending;
    const made = (async () => {
      const remoteId = await make();
      await this.set(localId, remoteId, owner);
      return remoteId;
    })().finally(() => this.creating.delete(localId));
    this.creating.set(localId, made);
    return made;
  }

  private async key(localId: string): Promise<string> {
    const key = `${this.scope}:${localId}`;
    if (key.length <= MAX_KEY_CHARS) return key;
    // Web Crypto rather than node:crypto: the SDK is bundled into isolate extensions too.
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${this.scope.slice(0, 32)}:${hex}`;
  }
}
