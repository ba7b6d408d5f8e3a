/**
 * The list of tools the models see: single-tool contributions first, then each loader's tools. Names must be
 * unique, so a later tool whose name is taken is qualified as `<namespace>__<name>` and the collision is logged —
 * never silently shadowed. The catalog is rebuilt at most every 2 s.
 */
import { localize, type ExtensionContext, type I18nString, type LoaderTool, type ToolInfo } from '@langbot-ts/sdk';

interface ToolDeclaration {
  key: string;
  owner: string;
  entry: { name: string; description: I18nString; parameters: Record<string, unknown> };
}
interface LoaderDeclaration {
  key: string;
  owner: string;
}

const REFRESH_MS = 2_000;
const MAX_NAME = 64;
const clean = (s: string) => s.replace(/[^a-zA-Z0-9_-]/g, '_');

export class ToolCatalog {
  private tools = new Map<string, ToolInfo>();
  private builtAt = 0;
  private building: Promise<void> | undefined;
  private readonly reported = new Set<string>();

  constructor(private readonly ctx: ExtensionContext) {}

  async all(): Promise<ToolInfo[]> {
    await this.refresh();
    return [...this.tools.values()];
  }

  async find(name: string): Promise<ToolInfo | undefined> {
    await this.refresh();
    let found = this.tools.get(name);
    if (!found) {
      await this.refresh(true);
      found = this.tools.get(name);
    }
    return found;
  }

  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.builtAt < REFRESH_MS) return;
    this.building ??= this.build().finally(() => (this.building = undefined));
    await this.building;
  }

  private async build(): Promise<void> {
    const next = new Map<string, ToolInfo>();
    const add = (tool: Omit<ToolInfo, 'name'>, namespace: string) => {
      let name = clean(tool.original_name).slice(0, MAX_NAME);
      const taken = next.get(name);
      if (taken) {
        const qualified = `${clean(namespace)}__${clean(tool.original_name)}`.slice(0, MAX_NAME);
        const key = `${name}\u0000${qualified}`;
        if (!this.reported.has(key)) {
          this.reported.add(key);
          this.ctx.log.warn(`Two tools are named '${name}' (from ${taken.owner} and ${tool.owner}); the second is offered as '${qualified}'.`, { tool: name, kept: taken.owner, renamed: qualified });
        }
        name = qualified;
        if (next.has(name)) return this.ctx.log.warn(`Tool '${name}' from ${tool.owner} is left out: the name is taken even qualified.`);
      }
      next.set(name, { ...tool, name });
    };
    const single = await this.ctx.call<ToolDeclaration[]>('contributions', 'list', { point: 'tools' });
    for (const t of single) {
      add({ source: 'extension', original_name: t.entry.name, owner: t.owner, description: localize(t.entry.description), parameters: t.entry.parameters }, t.owner);
    }
    const loaders = await this.ctx.call<LoaderDeclaration[]>('contributions', 'list', { point: 'toolLoaders' });
    for (const loader of loaders) {
      let listed: LoaderTool[] = [];
      try {
        listed = (await this.ctx.call<{ tools: LoaderTool[] }>('contributions', 'invoke', { point: 'toolLoaders', id: loader.key, method: 'list', args: {}, timeoutMs: 10_000 })).tools ?? [];
      } catch (error) {
        this.ctx.log.warn(`Tool loader '${loader.key}' could not list its tools: ${error instanceof Error ? error.message : String(error)}`);
      }
      for (const t of listed) add({ source: loader.key, original_name: t.name, namespace: t.namespace, owner: loader.owner, description: t.description, parameters: t.parameters }, t.namespace);
    }
    this.tools = next;
    this.builtAt = Date.now();
  }
}
