/**
 * Server-sent events read from an HTTP body: `event`, `data` and `id` fields (with or without a space after the
 * colon), comments skipped, CR, LF or CRLF line ends, and a last event flushed even without its blank line.
 */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const ready: SseEvent[] = [];

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) ready.push({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + (text[colon + 1] === ' ' ? 2 : 1));
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  };

  const split = (final: boolean) => {
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end === -1) break;
      // A CR that ends the buffer may be the first half of a CRLF still in transit.
      if (!final && buffer[end] === '\r' && end === buffer.length - 1) break;
      const width = buffer.startsWith('\r\n', end) ? 2 : 1;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + width);
    }
  };

  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    split(false);
    yield* ready.splice(0);
  }
  buffer += decoder.decode();
  split(true);
  if (buffer !== '') line(buffer);
  line('');
  yield* ready.splice(0);
}
