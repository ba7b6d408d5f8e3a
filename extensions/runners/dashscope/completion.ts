/**
 * What the `result` events of an application call mean for the reply (with `incremental_output`, each carries
 * only what is new): answer text, reasoning thoughts, knowledge-base references, the session id and whether the
 * answer is complete.
 */
import { GrowingReply, cutOffError, type RemotePlatform } from '@langbot-ts/sdk';
import { References } from './references.js';

export interface DashScopeOutput {
  text?: string | null;
  session_id?: string;
  finish_reason?: string | null;
  thoughts?: { thought?: string; action_type?: string; action?: string }[] | null;
  doc_references?: unknown;
  /** A workflow's output in `message_format` streaming mode. */
  workflow_message?: { message?: { content?: string } } | null;
}

export class DashScopeCompletion {
  readonly reply = new GrowingReply();
  readonly references = new References();
  sessionId?: string;
  private results = 0;
  private finishReason?: string;

  constructor(
    private readonly platform: RemotePlatform,
    private readonly referencesQuote: string,
  ) {}

  apply(output: DashScopeOutput | undefined): void {
    this.results++;
    if (!output) return;
    if (output.session_id) this.sessionId = output.session_id;
    for (const thought of output.thoughts ?? []) {
      if ((thought.action_type === 'reasoning' || thought.action === 'reasoning') && thought.thought) this.reply.addReasoning(thought.thought);
    }
    const text = output.text ?? output.workflow_message?.message?.content;
    if (text) this.reply.addAnswer(text);
    this.references.add(output.doc_references);
    if (output.finish_reason) this.finishReason = output.finish_reason;
  }

  text(final: boolean): string {
    return this.reply.text(final, (answer) => this.references.cite(answer, final) + this.references.block(this.referencesQuote));
  }

  /** Throws when the stream ended before the answer was (the literal "null" is DashScope's "not yet"). */
  end(): void {
    if (this.results === 0 || this.finishReason === 'null') throw cutOffError(this.platform);
  }
}
