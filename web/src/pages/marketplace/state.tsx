/** Badges for what is installed: its version, its kernel state, and whether a newer version waits. */
import { Badge } from '../../components/ui';
import { useExtT } from '../extensions/i18n';
import { word } from '../extensions/labels';
import { useMarketT } from './i18n';
import type { ListItem } from './model';

/** The kernel's lifecycle states in the words the Extensions page uses. */
const STATE_WORD: Record<string, string> = { active: 'active', pending: 'pending', loading: 'starting', failed: 'failed', disposed: 'stopped' };
const STATE_TONE: Record<string, 'good' | 'info' | 'warn' | 'bad' | 'neutral'> = { active: 'good', pending: 'info', loading: 'warn', failed: 'bad', disposed: 'neutral' };

export function StateBadge({ state, reason }: { state: string | null; reason?: string | null }) {
  const ext = useExtT();
  if (!state) return null;
  return (
    <Badge tone={STATE_TONE[state] ?? 'neutral'} title={reason ?? undefined}>
      {word(ext, 'status', STATE_WORD[state] ?? state)}
    </Badge>
  );
}

export function InstalledBadges({ item }: { item: ListItem }) {
  const t = useMarketT();
  if (!item.installed_version) return null;
  return (
    <div class="row mp-badges">
      <Badge tone="good">{t('installedBadge', { version: item.installed_version })}</Badge>
      <StateBadge state={item.state} />
      {item.update_available ? <Badge tone="info">{t('updateBadge', { version: item.latest_version })}</Badge> : null}
    </div>
  );
}
