/**
 * Langflow's streamed run: one JSON object per line, `{"event": "add_message" | "token" | "end" | "error", "data"}`,
 * the lines separated by blank lines.
 */
import { readJsonLines } from '@langbot-ts/sdk';

export interface FlowEvent {
  event: string;
  data: any;
}

export async function* flowEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<FlowEvent> {
  for await (const value of readJsonLines(body)) {
    const event = value as Partial<FlowEvent> | null;
    if (event && typeof event.event === 'string') yield { event: event.event, data: event.data };
  }
}
