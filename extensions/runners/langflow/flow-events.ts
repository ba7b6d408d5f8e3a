/**
 * Langflow's streamed run: one JSON object per line, `{"event": "add_message" | "token" | "end" | "error", "data"}`,
 * the lines separated by blank lines.
 */

export interface FlowEvent {
  event: string;
  data: any;
}

export async function* flowEvents(pieces: AsyncIterable<string>): AsyncGenerator<FlowEvent> {
  let buffer = '';
  for await (const piece of pieces) {
    buffer += piece;
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const event = parseLine(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (event) yield event;
    }
  }
  const last = parseLine(buffer);
  if (last) yield last;
}

function parseLine(line: string): FlowEvent | undefined {
  // Tolerate the `data:` framing of server-sent events, should a proxy or a version add it.
  const text = line.trim().replace(/^data:\s*/, '');
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<FlowEvent>;
    return value && typeof value.event === 'string' ? { event: value.event, data: value.data } : undefined;
  } catch {
    return undefined;
  }
}
