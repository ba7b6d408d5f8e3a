/** Rows of name = value (environment variables, HTTP headers), each input labelled, rows added and removed. */
import { useMcpT } from './i18n';

export interface Pair {
  key: string;
  value: string;
}

export const toPairs = (record: Record<string, string> | undefined): Pair[] => Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
export const fromPairs = (pairs: Pair[]): Record<string, string> => Object.fromEntries(pairs.filter((p) => p.key.trim()).map((p) => [p.key.trim(), p.value]));

export function PairsEditor({ id, legend, pairs, onChange, hint }: { id: string; legend: string; pairs: Pair[]; onChange: (next: Pair[]) => void; hint?: string }) {
  const t = useMcpT();
  const set = (index: number, patch: Partial<Pair>) => onChange(pairs.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  return (
    <fieldset class="field field-group mcp-pairs" id={id}>
      <legend>{legend}</legend>
      {pairs.map((pair, index) => (
        <div class="mcp-pair" key={index}>
          <input type="text" value={pair.key} aria-label={`${legend}: ${t('pairKey', { n: index + 1 })}`} placeholder="NAME" spellcheck={false} onInput={(e) => set(index, { key: (e.target as HTMLInputElement).value })} />
          <input type="text" value={pair.value} aria-label={`${legend}: ${t('pairValue', { n: index + 1 })}`} spellcheck={false} autoComplete="off" onInput={(e) => set(index, { value: (e.target as HTMLInputElement).value })} />
          <button type="button" class="icon-btn" aria-label={`${legend}: ${t('pairRemove', { n: index + 1 })}`} onClick={() => onChange(pairs.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" class="btn btn-ghost btn-small" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        + {t('pairAdd')}
      </button>
      {hint ? <p class="hint">{hint}</p> : null}
    </fieldset>
  );
}
