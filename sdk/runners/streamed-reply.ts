/** A runner's reply as the adapter gets it: partial chunks while the answer grows (when it streams), then the final one. */
import type { RunnerMessage } from '../contracts/conversation.js';

/** A chunk of a streamed reply, carrying the whole text so far. */
export function partialReply(content: string): RunnerMessage {
  return { role: 'assistant', content, streaming: true, is_final: false };
}

/** The last message of a run: the final chunk of a streamed reply, else the whole reply. */
export function finalReply(content: string, streamed: boolean): RunnerMessage {
  return streamed ? { role: 'assistant', content, streaming: true, is_final: true } : { role: 'assistant', content };
}

/** The chunks of one reply: a partial chunk each time the text changes, when the adapter streams; then the final one. */
export class ReplyChunks {
  private shown = '';

  constructor(private readonly streamed: boolean) {}

  /** Yields the partial chunk for the text so far, if there is one to show (`yield* chunks.partial(text)`). */
  *partial(text: string | undefined): Generator<RunnerMessage> {
    if (!this.streamed || text === undefined || text === this.shown) return;
    this.shown = text;
    yield partialReply(text);
  }

  final(text: string): RunnerMessage {
    return finalReply(text, this.streamed);
  }
}

/**
 * A reply as it grows: the agent's reasoning, when it shows any, goes first in a `<think>` block (which the
 * pipeline's `remove-think` option strips), then the answer. While only reasoning has arrived the block stays open.
 */
export class GrowingReply {
  private reasoning = '';
  private answer = '';

  addReasoning(text: string): void {
    this.reasoning += text;
  }

  addAnswer(text: string): void {
    this.answer += text;
  }

  get answerText(): string {
    return this.answer;
  }

  /**
   * The whole text so far; `final` closes a reasoning block the answer has not closed yet. `present` turns the
   * answer into what is shown (e.g. with citations resolved).
   */
  text(final: boolean, present: (answer: string) => string = (answer) => answer): string {
    const answer = this.answer ? present(this.answer) : '';
    if (!this.reasoning) return answer;
    if (!answer && !final) return `<think>\n${this.reasoning}`;
    return `<think>\n${this.reasoning}\n</think>\n${answer}`;
  }
}
