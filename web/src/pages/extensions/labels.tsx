/** Words for the codes the server answers with (states, contribution points, isolation), shared by list and detail. */
import { Badge } from '../../components/ui';
import { useExtT, type ExtKey } from './i18n';
import { statusOf, statusTone, type ExtensionSummary, type Health } from './model';

export type ExtT = ReturnType<typeof useExtT>;

/** A translated `prefix_value`, or the value itself for a code this console does not know yet. */
export function word(t: ExtT, prefix: string, value: string): string {
  const key = `${prefix}_${value}` as ExtKey;
  const text = t(key);
  return text === key ? value : text;
}

export function StatusBadge({ ext }: { ext: ExtensionSummary }) {
  const t = useExtT();
  const status = statusOf(ext);
  return (
    <Badge tone={statusTone(status)} title={ext.reason}>
      <span data-status={status}>{word(t, 'status', status)}</span>
    </Badge>
  );
}

export function HealthText({ health }: { health: Health | null }) {
  const t = useExtT();
  if (!health) return <span class="muted">{t('healthNone')}</span>;
  const tone = health.state === 'running' ? 'good' : health.state === 'crash-loop' ? 'bad' : 'warn';
  return (
    <span class="ext-health">
      <Badge tone={tone}>{word(t, 'health', health.state)}</Badge>
      {health.restarts > 0 ? <span class="muted small"> {t('restarts', { n: health.restarts })}</span> : null}
    </span>
  );
}

export const ms = (value: number | null) => (value === null ? '—' : value < 10 ? value.toFixed(1) : String(Math.round(value)));
