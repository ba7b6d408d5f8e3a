import type { IndexEntry } from '../index-format.js';

export interface SearchQuery {
  text?: string;
  kind?: string;
  category?: string;
}

const i18nValues = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).filter((v) => typeof v === 'string') : [];

/**
 * Entries of every given filter: `kind` and `category` match exactly, every word of `text` must occur
 * (case-insensitive) in the id, name, description, author or keywords. Matches in the id or name rank first.
 */
export function searchEntries(entries: IndexEntry[], q: SearchQuery): IndexEntry[] {
  const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const kind = q.kind?.trim();
  const category = q.category?.trim();
  const scored: { entry: IndexEntry; score: number }[] = [];
  for (const entry of entries) {
    if (kind && !entry.kinds.includes(kind)) continue;
    if (category && !entry.categories.includes(category)) continue;
    const primary = [entry.id, ...i18nValues(entry.displayName)].join('\n').toLowerCase();
    const secondary = [...i18nValues(entry.description), entry.author ?? '', ...entry.keywords].join('\n').toLowerCase();
    let score = 0;
    for (const word of words) {
      if (primary.includes(word)) score += 2;
      else if (secondary.includes(word)) score += 1;
      else {
        score = -1;
        break;
      }
    }
    if (score >= 0) scored.push({ entry, score });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.entry);
}
