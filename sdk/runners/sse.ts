/**
 * Streamed answers read as they arrive, from an HTTP body's bytes or from text: server-sent events, and JSON
 * lines (NDJSON).
 */

/** One server-sent event. */
export interface SseEvent {
  /** `message` when the event names none. */
  event: string;
  /** The event's `data` lines, joined with newlines. */
  data: string;
  /** The last `id` the stream sent, if any. */
  id?: string;
}

/** An event this large without its blank line is delivered as it is rather than buffered without bound. */
const MAX_EVENT_CHARS = 1_048_576;

/** The text of a body as it arrives, piece by piece (a character split between two pieces waits for the second). */
export async function* readText(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const piece of source) {
    const text = typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Server-sent events: `event`, `data` and `id` fields (with or without a space after the colon), comments
 * skipped, CR, LF or CRLF line ends, and a last event delivered even without its blank line.
 */
export async function* readSse(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let dataChars = 0;
  let id: string | undefined;
  const ready: SseEvent[] = [];

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) ready.push({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
      event = '';
      data = [];
      dataChars = 0;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + (text[colon + 1] === ' ' ? 2 : 1));
    if (field === 'event') event = value;
    else if (field === 'data') {
      data.push(value);
      dataChars += value.length;
    } else if (field === 'id') id = value;
  };

  const split = (final: boolean) => {
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end === -1) break;
      // A CR that ends the buffer may be the first half of a CRLF still in transit.
      if (!final && buffer[end] === '\r' && end === buffer.length - 1) break;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
    }
  };

  const flush = () => {
    split(true);
    if (buffer !== '') line(buffer);
    buffer = '';
    line('');
  };

  for await (const text of readText(source)) {
    buffer += text;
    split(false);
    if (buffer.length + dataChars > MAX_EVENT_CHARS) flush();
    yield* ready.splice(0);
  }
  flush();
  yield* ready.splice(0);
}

/**
 * The values of a stream of JSON lines; blank lines and lines that are not JSON are skipped, and a `data:` prefix
 * is tolerated (a proxy may frame the lines as server-sent events).
 */
export async function* readJsonLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  let buffer = '';
  const parse = function* (line: string): Generator<unknown> {
    const text = line.trim().replace(/^data:\s*/, '');
    if (!text) return;
    try {
      yield JSON.parse(text);
    } catch {
      // Not JSON: skipped.
    }
  };
  for await (const text of readText(source)) {
    buffer += text;
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      yield* parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
    }
  }
  yield* parse(buffer);
}
