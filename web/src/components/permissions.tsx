/**
 * An extension's permissions as sentences a person can approve. Works on a manifest's `permissions` object or on the
 * kernel's permission strings (`service:llm`, `fs.read:<path>`, `fs.write:<path>`, `childProcess`, `worker`, `network`),
 * which is how the server names permissions still to be approved.
 */
import { usePermT } from './permissions-i18n';
import './permissions.css';

export interface Permissions {
  services?: string[];
  fs?: { read?: string[]; write?: string[] };
  childProcess?: boolean;
  worker?: boolean;
  network?: boolean;
}

/** The permission strings a manifest's `permissions` object stands for. */
export function permissionItems(permissions: Permissions | null | undefined): string[] {
  if (!permissions) return [];
  return [
    ...(permissions.services ?? []).map((s) => `service:${s}`),
    ...(permissions.fs?.read ?? []).map((p) => `fs.read:${p}`),
    ...(permissions.fs?.write ?? []).map((p) => `fs.write:${p}`),
    ...(permissions.childProcess ? ['childProcess'] : []),
    ...(permissions.worker ? ['worker'] : []),
    ...(permissions.network ? ['network'] : []),
  ];
}

/** One sentence per kind of permission, in a fixed order; strings this console does not know are listed as they are. */
export function usePermissionSentences(): (items: string[]) => string[] {
  const t = usePermT();
  return (items) => {
    const after = (prefix: string) => items.filter((i) => i.startsWith(prefix)).map((i) => i.slice(prefix.length));
    const known = (i: string) => /^(service:|fs\.read:|fs\.write:)/.test(i) || i === 'childProcess' || i === 'worker' || i === 'network';
    const [services, reads, writes, others] = [after('service:'), after('fs.read:'), after('fs.write:'), items.filter((i) => !known(i))];
    const lines: string[] = [];
    if (services.length) lines.push(t('services', { list: services.join(', ') }));
    if (reads.length) lines.push(t('fsRead', { list: reads.join(', ') }));
    if (writes.length) lines.push(t('fsWrite', { list: writes.join(', ') }));
    if (items.includes('childProcess')) lines.push(t('childProcess'));
    if (items.includes('worker')) lines.push(t('worker'));
    if (items.includes('network')) lines.push(t('network'));
    if (others.length) lines.push(t('other', { list: others.join(', ') }));
    return lines;
  };
}

/** `permissions` (a manifest object) or `items` (permission strings); `inprocess` adds the warning that nothing is enforced. */
export function PermissionList({ permissions, items, inprocess = false }: { permissions?: Permissions | null; items?: string[]; inprocess?: boolean }) {
  const t = usePermT();
  const sentences = usePermissionSentences();
  const all = items ?? permissionItems(permissions);
  const lines = sentences(all);
  if (lines.length === 0) return <p class="muted">{t('none')}</p>;
  const risky = all.some((i) => !i.startsWith('service:'));
  return (
    <>
      <ul class="perm-list">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {inprocess && risky ? <p class="hint">{t('inprocessNote')}</p> : null}
    </>
  );
}
