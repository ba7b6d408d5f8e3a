/**
 * OneBot v11 message segments and the CQ-code string format. A message arrives either as an array of segments or,
 * with `message_format: string`, as one string where media are `[CQ:type,key=value,…]` codes; both end up as
 * segments here.
 */
export interface Segment {
  type: string;
  data: Record<string, unknown>;
}

export function isSegment(value: unknown): value is Segment {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Segment).type === 'string' &&
    (value as Segment).type.length > 0 &&
    ((value as Segment).data === undefined || (value as Segment).data === null || typeof (value as Segment).data === 'object')
  );
}

const unescapeText = (text: string) => text.replace(/&#91;/g, '[').replace(/&#93;/g, ']').replace(/&amp;/g, '&');
const unescapeParam = (text: string) => unescapeText(text.replace(/&#44;/g, ','));

/** Splits a CQ-code string into segments; text between codes becomes `text` segments, unescaped. */
export function parseCqString(message: string): Segment[] {
  const segments: Segment[] = [];
  const code = /\[CQ:([^,\]]+)((?:,[^\]]*)?)\]/g;
  let last = 0;
  for (let match = code.exec(message); match; match = code.exec(message)) {
    if (match.index > last) segments.push({ type: 'text', data: { text: unescapeText(message.slice(last, match.index)) } });
    const data: Record<string, unknown> = {};
    for (const pair of match[2].split(',').slice(1)) {
      const eq = pair.indexOf('=');
      if (eq < 0) data[pair] = '';
      else data[pair.slice(0, eq)] = unescapeParam(pair.slice(eq + 1));
    }
    segments.push({ type: match[1], data });
    last = match.index + match[0].length;
  }
  if (last < message.length) segments.push({ type: 'text', data: { text: unescapeText(message.slice(last)) } });
  return segments;
}

/**
 * A message as the implementation sent it (array, CQ string, or one bare segment) as a list of items; items that
 * are not segments are kept so the caller can turn them into `Unknown`.
 */
export function toSegmentList(message: unknown): unknown[] {
  if (typeof message === 'string') return parseCqString(message);
  if (Array.isArray(message)) return message;
  if (isSegment(message)) return [message];
  return message === undefined || message === null ? [] : [message];
}
