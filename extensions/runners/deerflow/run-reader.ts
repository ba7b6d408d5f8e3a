/**
 * Follows the events of one run: the AI text as it streams (`messages`), the thread's state after each step
 * (`values`, the authority for the final answer), failed subtasks (`custom`) and a failed run (`error`).
 */
import { ProviderErrorCode, providerError, type SseEvent } from '@langbot-ts/sdk';
import { answerOf, failureSummary, isAi, isClarification, messagesOfRun, stateMessages, taskFailures, textOf, tupleMessage, type LangGraphMessage } from './langgraph-messages.js';

export class RunReader {
  private streamingId: string | undefined;
  private streamed = '';
  private clarification = '';
  private runMessages: LangGraphMessage[] = [];
  private readonly failures: string[] = [];

  /** Takes one event; returns the whole text to show so far when it changed. */
  take(event: SseEvent): string | undefined {
    // Events of subgraphs (`messages|tools:…`) are the subagents' own work, not the answer.
    if (event.event.includes('|')) return undefined;
    const data = parse(event.data);
    switch (event.event) {
      case 'error':
        throw runFailed(data);
      case 'values':
        this.runMessages = messagesOfRun(stateMessages(data));
        return undefined;
      case 'custom':
        this.failures.push(...taskFailures(data));
        return undefined;
      case 'messages':
        return this.takeMessage(tupleMessage(data));
      default:
        return undefined;
    }
  }

  /** The answer once the run is over: DeerFlow's final state, else what was streamed, else why subtasks failed. */
  answer(): string {
    const text = answerOf(this.runMessages) || this.clarification || this.streamed;
    if (text.trim()) return text;
    if (this.failures.length) return failureSummary(this.failures);
    throw providerError(ProviderErrorCode.Unavailable, 'DeerFlow finished the run without an answer.');
  }

  private takeMessage(message: LangGraphMessage | undefined): string | undefined {
    if (!message) return undefined;
    if (isClarification(message)) {
      this.clarification = textOf(message.content, '\n');
      return this.clarification || undefined;
    }
    if (!isAi(message)) return undefined;
    const delta = textOf(message.content);
    if (!delta) return undefined;
    // A new AI message (after a tool call, say) replaces the text shown so far.
    const id = typeof message.id === 'string' ? message.id : undefined;
    if (id !== this.streamingId) {
      this.streamingId = id;
      this.streamed = '';
    }
    this.streamed += delta;
    return this.streamed;
  }
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function runFailed(data: unknown): Error {
  const record = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const parts = [record.error, record.message].filter((p): p is string => typeof p === 'string' && p !== '');
  const detail = parts.length ? parts.join(': ') : typeof data === 'string' && data ? data : 'no details';
  return providerError(ProviderErrorCode.Unavailable, `DeerFlow failed the run: ${detail}`);
}
