/**
 * One permission policy for every tool: rules in order, the first whose tool pattern and caller match decides;
 * no matching rule allows. Patterns are globs (`*`, `?`); callers are `pipeline:<uuid>`, `bot:<uuid>`,
 * `runner:<id>` or `*`.
 */
import type { ToolCallContext } from '@langbot-ts/sdk';

export interface PolicyRule {
  tools: string[];
  effect: 'allow' | 'deny';
  callers?: string[];
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

export class ToolPolicy {
  private readonly rules: { tools: RegExp[]; effect: 'allow' | 'deny'; callers: string[] }[];

  constructor(rules: PolicyRule[]) {
    this.rules = rules.map((r) => ({ tools: r.tools.map(glob), effect: r.effect, callers: r.callers?.length ? r.callers : ['*'] }));
  }

  allows(tool: string, context: ToolCallContext = {}): boolean {
    const callers = new Set(['*', context.pipeline_uuid && `pipeline:${context.pipeline_uuid}`, context.bot_uuid && `bot:${context.bot_uuid}`, context.runner && `runner:${context.runner}`].filter(Boolean) as string[]);
    for (const rule of this.rules) {
      if (!rule.tools.some((t) => t.test(tool))) continue;
      if (!rule.callers.some((c) => callers.has(c))) continue;
      return rule.effect === 'allow';
    }
    return true;
  }
}
