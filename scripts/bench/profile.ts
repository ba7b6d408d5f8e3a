/** Summarizes V8 CPU profiles by source module, using the `// path` comments esbuild puts before each module. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled, non-idle time in µs. */
  busyUs: number;
  groups: { name: string; us: number; share: number }[];
  functions: { name: string; us: number; share: number }[];
}

const moduleCache = new Map<string, { line: number; path: string }[]>();

/** Module start lines of a bundle file (empty when it isn't one or can't be read). */
function modulesOf(url: string): { line: number; path: string }[] {
  let modules = moduleCache.get(url);
  if (!modules) {
    modules = [];
    try {
      const lines = readFileSync(fileURLToPath(url), 'utf8').split('\n');
      lines.forEach((l, i) => {
        const m = /^\/\/ ((?:node_modules|kernel|scripts|test|sdk|extensions)\/\S+)$/.exec(l);
        if (m) modules!.push({ line: i, path: m[1] });
      });
    } catch {
      // not a readable file: categorize by URL only
    }
    moduleCache.set(url, modules);
  }
  return modules;
}

/** A readable group for a profile node: package, kernel module, Node internal, or V8 activity. */
export function groupOf(node: ProfileNode): string {
  const { functionName: name, url, lineNumber } = node.callFrame;
  if (name === '(garbage collector)') return 'V8: garbage collector';
  if (name === '(program)') return 'V8/native: (program) — compile, event loop, syscalls';
  if (name === '(idle)' || name === '(root)') return name;
  if (!url) {
    if (/^validate\d*$/.test(name)) return 'ajv: compiled validators';
    return `V8 builtin: ${name || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) return `node: ${url.replace(/^node:(internal\/)?/, '')}`;
  if (url.startsWith('file:')) {
    const modules = modulesOf(url);
    if (modules.length > 0) {
      let path = 'bundle: (runtime helpers)';
      for (const m of modules) {
        if (m.line > lineNumber) break;
        path = m.path;
      }
      const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
      if (pkg) return pkg[1] === 'vscode-jsonrpc' ? `vscode-jsonrpc: ${pkg[2].split('/').pop()}` : `npm: ${pkg[1]}`;
      return path;
    }
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (pkg) return `npm: ${pkg[1]}`;
  }
  return url;
}

/** Self time by group and by function; `skip` drops samples (and their subtrees) from the summary. */
export function summarizeProfile(profile: CpuProfile, options: { skip?: (node: ProfileNode) => boolean; group?: (node: ProfileNode) => string; limit?: number } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const skipped = (id: number): boolean => {
    if (!options.skip) return false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (options.skip(byId.get(at)!)) return true;
    return false;
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const group = (options.group ?? groupOf)(node);
    if (group === '(idle)' || group === '(root)' || skipped(id)) continue;
    busy += us;
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${node.callFrame.functionName || '(anonymous)'} [${group}]`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.limit ?? 14)
      .map(([name, us]) => ({ name, us, share: busy > 0 ? us / busy : 0 }));
  return { busyUs: busy, groups: rank(groups), functions: rank(functions) };
}
