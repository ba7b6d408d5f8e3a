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
