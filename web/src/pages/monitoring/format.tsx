/** Small formatting helpers shared by the monitoring tables, the details dialog and the dashboard. */
import { Badge } from '../../components/ui';

export const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString());

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function shorten(text: string | null | undefined, max = 160): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The name a row carries, else its id, else a dash. */
export const nameOr = (name: string | null | undefined, id: string | null | undefined) => name || id || '—';

/** `label`: the status in the reader's language (the raw value is shown for an unknown one). */
export function StatusBadge({ status, label, title }: { status: string | null | undefined; label?: string; title?: string }) {
  const tone = status === 'success' ? 'good' : status === 'error' || status === 'failed' ? 'bad' : status === 'pending' ? 'info' : 'neutral';
  return (
    <Badge tone={tone} title={title}>
      {label || status || '—'}
    </Badge>
  );
}
