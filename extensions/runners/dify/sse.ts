/** Server-sent events (text/event-stream) from a byte stream: one `{ event, data }` per blank-line-ended block. */
export interface SseEvent {
  event: string;
  data: string;
}

export async function* sseEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  // A chunk ending in '\r' may be the first half of '\r\n': the '\n' opening the next chunk is not another line.
  let skipLineFeed = false;
  let event = '';
  let data: string[] = [];

  function* onLine(text: string): Generator<SseEvent> {
    if (text === '') {
      if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }

  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (skipLineFeed && text.startsWith('\n')) text = text.slice(1);
    if (text) skipLineFeed = text.endsWith('\r');
    const lines = (buffer + text).split(/\r\n|\r|\n/);
    buffer = lines.pop()!;
    for (const next of lines) yield* onLine(next);
  }
  const rest = buffer + decoder.decode();
  if (rest) yield* onLine(rest);
  yield* onLine('');
}
