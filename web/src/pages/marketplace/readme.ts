/**
 * An extension's README as HTML. The README comes from whoever published the package, so raw HTML in it is shown as
 * text, links work only for http(s) and open in a new tab without access to this page, and images become links
 * (the console loads nothing from third parties on its own). Headings move two levels down, under the page title and the README card title.
 */
import { Marked } from 'marked';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]);

function webUrl(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const anchor = (url: string, title: string | null | undefined, inner: string) =>
  `<a href="${escapeHtml(url)}"${title ? ` title="${escapeHtml(title)}"` : ''} target="_blank" rel="noopener noreferrer">${inner}</a>`;

const markdown = new Marked({
  gfm: true,
  renderer: {
    heading({ tokens, depth }) {
      const level = Math.min(depth + 2, 6);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    html({ text, block }) {
      return block ? `<p>${escapeHtml(text)}</p>` : escapeHtml(text);
    },
    link({ href, title, tokens, text, autolink }) {
      const inner = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
      const url = webUrl(href);
      return url ? anchor(url, title, inner) : inner;
    },
    image({ href, title, text }) {
      const url = webUrl(href);
      const label = escapeHtml(text || href);
      return url ? anchor(url, title, `🖼 ${label}`) : label;
    },
  },
});

export function renderReadme(source: string): string {
  return markdown.parse(source, { async: false });
}
