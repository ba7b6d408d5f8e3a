/**
 * What the installed adapters declare (APIs, streaming, webhook, config form), read from the contributions list.
 * Re-read at most every CACHE_MS, and on any miss, so an adapter installed a moment ago is found.
 */
import { RpcError, RpcErrorCode, type ConfigForm, type ExtensionContext } from '@langbot-ts/sdk';

export interface AdapterDeclaration {
  supportedApis: string[];
  supportedEvents: string[];
  platformSpecificApis?: string[];
  streaming?: boolean;
  webhook?: boolean;
  config?: ConfigForm;
}

const CACHE_MS = 2_000;

export class AdapterCatalog {
  private declarations = new Map<string, AdapterDeclaration>();
  private readAt = 0;

  constructor(private readonly ctx: Pick<ExtensionContext, 'call'>) {}

  async get(adapter: string): Promise<AdapterDeclaration> {
    const found = await this.find(adapter);
    if (!found) throw new RpcError(RpcErrorCode.NotFound, `No extension contributes the adapter '${adapter}'.`, { adapter });
    return found;
  }

  async find(adapter: string): Promise<AdapterDeclaration | undefined> {
    if (Date.now() - this.readAt >= CACHE_MS || !this.declarations.has(adapter)) await this.refresh();
    return this.declarations.get(adapter);
  }

  async names(): Promise<string[]> {
    await this.refresh();
    return [...this.declarations.keys()].sort();
  }

  private async refresh(): Promise<void> {
    const entries = await this.ctx.call<{ key: string; entry: AdapterDeclaration }[]>('contributions', 'list', { point: 'adapters' });
    this.declarations = new Map(entries.map((e) => [e.key, e.entry]));
    this.readAt = Date.now();
  }
}
