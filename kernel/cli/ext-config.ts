import { StateStore } from '../config/state-store.js';
import { describeIssues } from '../loader/record.js';
import { redactConfig, validateConfig } from '../manifest/index.js';
import { findEntry, takeInventory } from './inventory.js';
import { CliError } from './output.js';

/** `key=value`: the value is JSON when it parses as JSON (numbers, booleans, lists), text otherwise. */
function parsePair(pair: string): [string, unknown] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new CliError(`Expected key=value, got '${pair}'.`);
  const key = pair.slice(0, at);
  const text = pair.slice(at + 1);
  try {
    return [key, JSON.parse(text)];
  } catch {
    return [key, text];
  }
}

/**
 * Shows an extension's configuration (secrets masked, defaults filled in) or changes some keys. A change is
 * validated against the manifest's config form before it is stored; a running kernel restarts the extension.
 */
export async function configureExtension(query: string, pairs: string[], opts: { data: string; json?: boolean }): Promise<void> {
  const inventory = await takeInventory(opts.data);
  const entry = findEntry(inventory, query);
  const form = entry.manifest?.config;
  if (!form) throw new CliError(entry.manifest ? `${entry.id} has no configuration.` : `${entry.id} has an invalid manifest; see \`langbot ext info ${entry.id}\`.`);
  const store = await StateStore.open(inventory.dataDir);
  const stored = { ...(store.getExtension(entry.id)?.config ?? {}) };
  for (const [key, value] of pairs.map(parsePair)) {
    if (!(key in form.properties)) throw new CliError(`${entry.id} has no setting '${key}'. Settings: ${Object.keys(form.properties).join(', ')}.`);
    stored[key] = value;
  }
  const checked = validateConfig(form, stored, `${entry.id} config`);
  if (!checked.ok) throw new CliError(`The configuration is not valid, nothing was changed:\n${describeIssues(checked.errors)}`);
  if (pairs.length > 0) {
    await store.setExtension(entry.id, { config: stored });
    const when = inventory.status ? `The running kernel (pid ${inventory.status.pid}) restarts it now.` : 'It applies on the next start.';
    console.log(`Saved the configuration of ${entry.id} in ${store.file}. ${when}`);
  }
  const shown = redactConfig(form, checked.value) as Record<string, unknown>;
  if (opts.json) return void console.log(JSON.stringify(shown, null, 2));
  for (const [key, value] of Object.entries(shown)) console.log(`${key} = ${JSON.stringify(value)}`);
}
