/** Server-sent events from text pieces: blocks split on a blank line, `event:` names, `data:` lines joined. */

export interface SseEvent {
  /** `message` when the block names none. */
  event: string;
  data: string;
}

/** A block this large without a blank line is flushed as it is rather than buffered without bound. */
const MAX_BUFFER_CHARS = 1_048_576;

export async function* sseEvents(pieces: AsyncIterable<string>): AsyncGenerator<SseEvent> {
  let buffer = '';
  // A CR at the end of a piece may be the first half of a CRLF: it waits for the next piece.
  let carry = '';
  for await (const piece of pieces) {
    let text = carry + piece;
    carry = text.endsWith('\r') ? '\r' : '';
    if (carry) text = text.slice(0, -1);
    buffer += text.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) yield event;
    }
    if (buffer.length > MAX_BUFFER_CHARS) {
      const event = parseBlock(buffer);
      buffer = '';
      if (event) yield event;
    }
  }
  const last = parseBlock(buffer + (carry ? '\n' : ''));
  if (last) yield last;
}

function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { event, data: data.join('\n') } : undefined;
}
