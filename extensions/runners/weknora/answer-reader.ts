/**
 * Follows WeKnora's answer events: `answer` pieces make up the reply (the one marked `done` ends it), `error`
 * fails it; the agent's thinking, tool calls and references are its own business.
 */
import { ProviderErrorCode, providerError, type SseEvent } from '@langbot-ts/sdk';

interface WeKnoraEvent {
  response_type?: string;
  content?: unknown;
  done?: boolean;
}

export class AnswerReader {
  private text = '';
  /** The answer is complete: nothing more needs to be read. */
  done = false;

  /** Takes one event; returns the whole answer so far when it grew. */
  take(event: SseEvent): string | undefined {
    let data: WeKnoraEvent;
    try {
      data = JSON.parse(event.data) as WeKnoraEvent;
    } catch {
      return undefined;
    }
    if (data === null || typeof data !== 'object') return undefined;
    const content = typeof data.content === 'string' ? data.content : '';
    if (data.response_type === 'error') throw providerError(ProviderErrorCode.Unavailable, `WeKnora reported an error: ${content || 'no details'}`);
    if (data.response_type !== 'answer') return undefined;
    if (data.done === true) this.done = true;
    if (!content) return undefined;
    this.text += content;
    return this.text;
  }

  answer(): string {
    if (!this.text.trim()) throw providerError(ProviderErrorCode.Unavailable, 'WeKnora finished without an answer.');
    return this.text;
  }
}
