/**
 * Markdown (as models write it) → Telegram's HTML parse mode. Code is kept verbatim, everything else is escaped
 * before the few supported marks are turned into tags. Badly nested marks can still produce HTML Telegram
 * refuses; the sender then falls back to plain text.
 */
export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeHtml(text).replace(/"/g, '&quot;');

function inline(text: string): string {
  return text
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<b>$1</b>')
    .replace(/__(?=\S)([\s\S]*?\S)__/g, '<b>$1</b>')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<s>$1</s>')
    .replace(/\|\|(?=\S)([\s\S]*?\S)\|\|/g, '<tg-spoiler>$1</tg-spoiler>')
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*\n]*?[^\s*])?\*(?![\w*])/g, (_m, before: string, body: string | undefined) => (body === undefined ? _m : `${before}<i>${body}</i>`))
    .replace(/(^|[^\w])_(?=[^\s_])([^_\n]*?[^\s_])_(?!\w)/g, '$1<i>$2</i>');
}

function lines(text: string): string {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join('\n')}</blockquote>`);
    quote = [];
  };
  for (const line of text.split('\n')) {
    const quoted = /^&gt;\s?(.*)$/.exec(line);
    if (quoted) {
      quote.push(quoted[1]);
      continue;
    }
    flush();
    const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) out.push(`<b>${heading[1]}</b>`);
    else if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) out.push('──────');
    else out.push(line.replace(/^(\s*)[-*+]\s+/, '$1• '));
  }
  flush();
  return out.join('\n');
}

export function markdownToHtml(markdown: string): string {
  const kept: string[] = [];
  const keep = (html: string) => `\u0000${kept.push(html) - 1}\u0000`;
  let text = markdown
    .replace(/```([\w+#-]*)[^\S\n]*\n?([\s\S]*?)```/g, (_m, lang: string, code: string) => {
      const body = escapeHtml(code.replace(/\n$/, ''));
      return keep(lang ? `<pre><code class="language-${lang}">${body}</code></pre>` : `<pre>${body}</pre>`);
    })
    .replace(/`([^`\n]+)`/g, (_m, code: string) => keep(`<code>${escapeHtml(code)}</code>`))
    .replace(/\[([^\]\n]+)\]\(((?:https?|tg):\/\/[^\s)]+)\)/g, (_m, label: string, url: string) => keep(`<a href="${escapeAttribute(url)}">${inline(escapeHtml(label))}</a>`));
  text = inline(lines(escapeHtml(text)));
  return text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => kept[Number(i)]);
}
