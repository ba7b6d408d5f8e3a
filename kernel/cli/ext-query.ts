import { CONTRIBUTION_POINTS, contributionKey, formatIssue, localize, type ExtensionManifest } from '../manifest/index.js';
import { findEntry, takeInventory, type Entry } from './inventory.js';
import { firstLine, table } from './output.js';

export async function listExtensions(opts: { data: string; profile?: string; json?: boolean }): Promise<void> {
  const inventory = await takeInventory(opts.data, opts.profile);
  const { entries, status } = inventory;
  if (opts.json) {
    const rows = entries.map((e) => ({
      id: e.id,
      version: e.manifest?.version,
      source: e.source,
      isolation: e.manifest?.isolation,
      enabled: e.enabled,
      state: e.state,
      reason: e.reason,
      dir: e.dir,
      issues: e.issues,
      health: e.live?.health,
    }));
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const rows = entries.map((e) => [e.id, e.manifest?.version ?? '-', e.source, e.manifest?.isolation ?? '-', e.enabled ? 'yes' : 'no', e.state, firstLine(e.reason)]);
  console.log(table(['ID', 'VERSION', 'SOURCE', 'ISOLATION', 'ENABLED', 'STATE', 'REASON'], rows));
  const where = status ? `Live state from the kernel running with pid ${status.pid}.` : 'No kernel is running on this data folder.';
  console.log(`\n${entries.length} extension${entries.length === 1 ? '' : 's'} (profile ${inventory.profile.name}, data ${inventory.dataDir}). ${where}`);
}

export async function showExtension(query: string, opts: { data: string; profile?: string }): Promise<void> {
  const inventory = await takeInventory(opts.data, opts.profile);
  const entry = findEntry(inventory, query);
  const lines = entry.manifest ? describeManifest(entry.manifest) : [`${entry.id} (invalid manifest)`];
  const field = (name: string, value: string) => lines.push(`  ${`${name}:`.padEnd(14)}${value}`);
  field('Source', `${entry.source} (${entry.dir})`);
  field('Manifest', entry.manifestFile);
  field('Enabled', `${entry.enabled ? 'yes' : 'no'} (by ${entry.enabledBy})`);
  field('State', `${entry.state}${entry.live ? ' (live)' : ''}`);
  lines.push(...entry.reason.split('\n').map((l) => `    ${l}`));
  if (entry.live?.health) field('Health', healthLine(entry));
  if (entry.issues.length) {
    lines.push('', `Manifest issues (${entry.issues.length}):`);
    for (const issue of entry.issues) lines.push(`  ${formatIssue(issue)}`);
  }
  console.log(lines.join('\n'));
}

function healthLine(entry: Entry): string {
  const h = entry.live!.health!;
  const mem = h.memoryBytes ? `, memory ${(h.memoryBytes / 1048576).toFixed(1)} MB` : '';
  const rpc = h.rpcP50Ms !== undefined ? `, rpc p50 ${h.rpcP50Ms.toFixed(2)} ms` : '';
  return `${h.state}, ${h.restarts} restart${h.restarts === 1 ? '' : 's'}${rpc}${mem}${h.lastError ? `, last error: ${h.lastError}` : ''}`;
}

function describeManifest(m: ExtensionManifest): string[] {
  const lines = [`${m.id} ${m.version}`];
  const field = (name: string, value: string) => lines.push(`  ${`${name}:`.padEnd(14)}${value}`);
  const list = (values: string[] | undefined) => (values?.length ? values.join(', ') : '-');
  field('Name', localize(m.displayName));
  if (m.description) field('Description', localize(m.description));
  field('Isolation', m.isolation);
  field('Activation', m.activation);
  field('Engines', `langbot ${m.engines.langbot}`);
  const p = m.permissions;
  const perms = [
    p.services?.length ? `services: ${list(p.services)}` : '',
    p.fs?.read?.length ? `fs read: ${list(p.fs.read)}` : '',
    p.fs?.write?.length ? `fs write: ${list(p.fs.write)}` : '',
    p.childProcess ? 'child processes' : '',
    p.worker ? 'workers' : '',
    p.network ? 'network' : '',
  ].filter(Boolean);
  field('Permissions', perms.join('; ') || 'none');
  const contributes = CONTRIBUTION_POINTS.flatMap((point) => {
    const items = (m.contributes as Record<string, unknown[] | undefined>)[point] ?? [];
    return items.length ? [`${point}: ${items.map((item, i) => contributionKey(point, item, i)).join(', ')}`] : [];
  });
  field('Contributes', contributes.join('; ') || 'nothing');
  field('Services', `provides ${list(m.services?.provides)}; requires ${list(m.services?.requires)}; optional ${list(m.services?.optional)}`);
  if (m.config) {
    const fields = Object.entries(m.config.properties).map(([k, f]) => `${k} (${f.type}${f.default !== undefined ? ` = ${JSON.stringify(f.default)}` : ''})`);
    field('Config', fields.join(', ') || '-');
  }
  return lines;
}
