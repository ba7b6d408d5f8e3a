/**
 * Knowledge-base references of an answer: DashScope marks citations as `<ref>[n]</ref>` and lists the cited
 * documents in `doc_references`. Markers become `[n]`, and the documents are appended after `references_quote`,
 * one line per document with the markers that cite it.
 */
export interface DocReference {
  index_id?: string | number;
  doc_name?: string;
  title?: string;
}

const MARKER = /<ref>\[(.*?)\]<\/ref>/g;

export class References {
  /** Marker ids by document name, in order of first appearance. */
  private readonly docs = new Map<string, string[]>();

  add(list: unknown): void {
    if (!Array.isArray(list)) return;
    for (const ref of list as DocReference[]) {
      const name = ref?.doc_name || ref?.title;
      if (!name) continue;
      const ids = this.docs.get(name) ?? [];
      const id = ref.index_id === undefined || ref.index_id === null ? '' : String(ref.index_id);
      if (id && !ids.includes(id)) ids.push(id);
      this.docs.set(name, ids);
    }
  }

  /** The answer with markers resolved; while it is still being written, a marker cut in half is held back. */
  cite(answer: string, final: boolean): string {
    const cited = answer.replace(MARKER, '[$1]');
    return final ? cited : cited.replace(/<ref>(?:(?!<\/ref>)[\s\S])*$/, '').replace(/<(?:r(?:ef?)?)?$/, '');
  }

  /** The list of documents after the quote, or nothing when the answer cites none. */
  block(quote: string): string {
    if (this.docs.size === 0) return '';
    const lines = [...this.docs].map(([name, ids]) => `${ids.map((id) => `[${id}]`).join('')}${ids.length ? ' ' : ''}${name}`);
    return `\n\n${quote}\n${lines.join('\n')}`;
  }
}
