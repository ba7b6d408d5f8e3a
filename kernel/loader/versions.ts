import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import semver from 'semver';
import type { ExtensionState as StoredState } from '../config/state-store.js';
import { MANIFEST_ID_PATTERN, missingPermissions, readManifest, unionPermissions, type PermissionGrant } from '../manifest/index.js';
import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import { bundleFor } from './bundler.js';
import { versionedFolder, type FoundExtension } from './discovery.js';
import { engineProblem, waitingForApproval, type ExtensionManager } from './manager.js';
import { describeIssues, type ExtensionRecord } from './record.js';

/**
 * Versioned drop-ins: `<data>/extensions/<id>@<version>/` folders (installed from a registry) of which kernel
 * state `extensions[id].version` names the active one. Switching is transactional: everything that can be
 * checked before the switch is, and a failed switch leaves the previous version running and the state as it was.
 */

const queues = new WeakMap<ExtensionManager, Map<string, Promise<unknown>>>();

/** One switch per extension at a time, in order. */
function serialized<T>(manager: ExtensionManager, id: string, task: () => Promise<T>): Promise<T> {
  const perId = queues.get(manager) ?? new Map<string, Promise<unknown>>();
  queues.set(manager, perId);
  const run = (perId.get(id) ?? Promise.resolve()).then(task);
  const tail = run.catch(() => undefined);
  perId.set(id, tail);
  void tail.then(() => perId.get(id) === tail && perId.delete(id));
  return run;
}

const fail = (code: RpcErrorCode, message: string, details: Record<string, unknown>) => new RpcError(code, message, details);

/** Checks the folder of the version and bundles it: nothing has changed yet when this throws. */
async function prepare(manager: ExtensionManager, id: string, version: string, approved: PermissionGrant | undefined): Promise<FoundExtension> {
  const details = { id, version };
  if (!new RegExp(MANIFEST_ID_PATTERN).test(id)) throw fail(RpcErrorCode.ValidationFailed, `'${id}' is not an extension id.`, details);
  if (!semver.valid(version)) throw fail(RpcErrorCode.ValidationFailed, `'${version}' is not a semantic version.`, details);
  const root = manager.options.roots.dropin;
  if (!root) throw fail(RpcErrorCode.NotSupported, 'This kernel has no drop-in folder.', details);
  const current = manager.get(id);
  if (current?.source === 'builtin') throw fail(RpcErrorCode.ValidationFailed, `${id} is a built-in extension; a drop-in cannot replace it.`, details);
  const dir = join(root, `${id}@${version}`);
  if (!existsSync(dir)) throw fail(RpcErrorCode.NotFound, `Version ${version} of ${id} is not installed: ${dir} does not exist.`, details);
  const read = await readManifest(dir);
  if (!read.ok) throw fail(RpcErrorCode.ValidationFailed, `The manifest of ${id} ${version} is invalid:\n${describeIssues(read.issues)}`, details);
  const manifest = read.manifest;
  if (manifest.id !== id || manifest.version !== version) {
    throw fail(RpcErrorCode.ValidationFailed, `${dir} holds ${manifest.id} ${manifest.version}, not ${id} ${version}.`, details);
  }
  const incompatible = engineProblem(manifest);
  if (incompatible) throw fail(RpcErrorCode.VersionMismatch, incompatible, details);
  const missing = approved ? missingPermissions(manifest.permissions, approved) : [];
  if (missing.length) throw fail(RpcErrorCode.PermissionDenied, waitingForApproval(missing), { ...details, missing });
  if (manifest.entry) {
    try {
      await bundleFor(manifest.isolation, manager.bundleSpec({ id, dir, manifest }));
    } catch (e) {
      throw fail(RpcErrorCode.ValidationFailed, (e as Error).message, details);
    }
  }
  return { dir, source: 'dropin' };
}

/** A switch worked when the new folder's record runs, waits (for first use or a service), or is disabled. */
const settledOn = (record: ExtensionRecord | undefined, dir: string) =>
  record?.dir === dir && (record.state === 'active' || record.state === 'pending' || (record.state === 'disposed' && !record.enabled));

/** Switches to the prepared folder (state already pointing at it); on failure restores `before` and the previous version. */
async function switchTo(manager: ExtensionManager, id: string, found: FoundExtension, before: StoredState | undefined): Promise<ExtensionRecord> {
  const previous = manager.get(id);
  const previousFound = previous && { dir: previous.dir, source: previous.source };
  let failure: string | undefined;
  const stopListening = manager.onStateChange((r) => r.dir === found.dir && r.state === 'failed' && (failure = r.reason));
  let record: ExtensionRecord;
  try {
    record = await manager.replace(previous, found);
    await record.activation?.catch(() => undefined);
  } finally {
    stopListening();
  }
  const current = manager.get(id);
  if (settledOn(current, found.dir)) return current!;
  const reason = failure ?? current?.reason ?? record.reason;
  await manager.options.state.putExtension(id, before);
  // replace() rolls back by itself when the previous version had been running; otherwise bring back what was there.
  if (current?.dir === found.dir) {
    if (previousFound) await manager.replace(current, previousFound);
    else await manager.remove(id);
  } else if (current) await manager.reconsider(id); // under the restored approvals
  throw fail(RpcErrorCode.Unavailable, reason, { id, dir: found.dir, reason: 'activation_failed' });
}

/**
 * Makes `<id>@<version>` the active version with these approved permissions. If the previous version was active,
 * the new one is started at once, so a broken update shows during the install. Throws an RpcError whose message
 * is the kernel's reason, with the previous version and state entry restored.
 */
export function activateVersion(manager: ExtensionManager, id: string, version: string, approvedPermissions: PermissionGrant): Promise<ExtensionRecord> {
  return serialized(manager, id, async () => {
    const state = manager.options.state;
    const approved = unionPermissions(approvedPermissions, undefined);
    const found = await prepare(manager, id, version, approved);
    const before = state.getExtension(id);
    await state.setExtension(id, { version, approvedPermissions: approved });
    return switchTo(manager, id, found, before);
  });
}

/** Stops and forgets a drop-in, clearing its version pointer and approvals (its configuration and files stay). */
export function deactivate(manager: ExtensionManager, id: string): Promise<boolean> {
  return serialized(manager, id, async () => {
    const record = manager.get(id);
    if (record?.source === 'builtin') throw fail(RpcErrorCode.ValidationFailed, `${id} is a built-in extension; disable it instead.`, { id });
    const stored = manager.options.state.getExtension(id);
    if (stored) await manager.options.state.setExtension(id, { version: undefined, approvedPermissions: undefined });
    await manager.remove(id);
    return Boolean(record || stored?.version);
  });
}

/**
 * Follows a version pointer another process (the CLI) wrote into kernel.json; `before` is the entry as it was.
 * A pointer that was removed unloads the versioned record; a failed switch writes `before` back.
 */
export function followVersion(manager: ExtensionManager, id: string, before: StoredState | undefined): Promise<ExtensionRecord | undefined> {
  return serialized(manager, id, async () => {
    const state = manager.options.state;
    const entry = state.getExtension(id);
    const current = manager.get(id);
    if (!entry?.version) {
      if (current?.source === 'dropin' && versionedFolder(basename(current.dir))?.id === id) await manager.remove(id);
      return undefined;
    }
    const root = manager.options.roots.dropin;
    if (root && current?.dir === join(root, `${id}@${entry.version}`) && current.state !== 'failed') return current;
    let found: FoundExtension;
    try {
      found = await prepare(manager, id, entry.version, entry.approvedPermissions);
    } catch (e) {
      await state.putExtension(id, before);
      throw e;
    }
    return switchTo(manager, id, found, before);
  });
}
