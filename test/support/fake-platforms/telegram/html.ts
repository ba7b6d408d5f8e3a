/** Telegram's HTML parse mode, strictly enough to refuse what Telegram refuses: "Bad Request: can't parse entities". */
const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);

export class ParseError extends Error {}

function decodeEntities(text: string, offset: number): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);|&/gi, (match, body: string | undefined, at: number) => {
    if (body === undefined) return match; // a lone '&' is tolerated
    if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
    if (!(body.toLowerCase() in named)) throw new ParseError(`Unsupported HTML entity "&${body};" at byte offset ${offset + at}`);
    return named[body.toLowerCase()];
  });
}

/** The text Telegram shows for an HTML message; throws ParseError for markup Telegram refuses. */
export function htmlToText(html: string): string {
  const stack: string[] = [];
  let out = '';
  let at = 0;
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"]*"|='[^']*'|=[^\s>]+)?)*)\s*>/y;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    const end = lt < 0 ? html.length : lt;
    if (html.slice(at, end).includes('>')) throw new ParseError(`Unexpected ">" at byte offset ${at + html.slice(at, end).indexOf('>')}`);
    out += decodeEntities(html.slice(at, end), at);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const match = tag.exec(html);
    if (!match) throw new ParseError(`Unsupported start tag at byte offset ${lt}`);
    const [, closing, rawName, attributes] = match;
    const name = rawName.toLowerCase();
    if (!TAGS.has(name)) throw new ParseError(`Unsupported start tag "${name}" at byte offset ${lt}`);
    if (closing) {
      if (stack.pop() !== name) throw new ParseError(`Can't find end tag corresponding to start tag "${name}"`);
    } else {
      if (name === 'a' && !/href=/.test(attributes)) throw new ParseError(`Can't find href in the "a" tag at byte offset ${lt}`);
      stack.push(name);
    }
    at = tag.lastIndex;
  }
  if (stack.length) throw new ParseError(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`);
  return out;
}
