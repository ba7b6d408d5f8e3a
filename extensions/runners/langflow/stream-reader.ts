/**
 * Follows a streamed run: `token` pieces make up the message being written (a new message id starts a new text),
 * `add_message` from the flow carries a whole message (components that do not stream), `end` holds the run's
 * result (the authority for the answer), `error` fails it.
 */
import { ProviderErrorCode, errorBodyDetail, providerError } from '@langbot-ts/sdk';
import type { FlowEvent } from './flow-events.js';
import { runResultText } from './run-result.js';

export class StreamReader {
  private messageId: unknown;
  private text = '';
  private result = '';

  /** Takes one event; returns the whole text to show so far when it changed. */
  take({ event, data }: FlowEvent): string | undefined {
    switch (event) {
      case 'token': {
        const chunk = typeof data?.chunk === 'string' ? data.chunk : '';
        if (!chunk) return undefined;
        if (data.id !== this.messageId) {
          this.messageId = data.id;
          this.text = '';
        }
        this.text += chunk;
        return this.text;
      }
      case 'add_message': {
        // The user's own message is echoed too.
        if (data?.sender === 'User' || typeof data?.text !== 'string' || !data.text) return undefined;
        this.messageId = data.id;
        this.text = data.text;
        return this.text;
      }
      case 'end':
        this.result = runResultText(data?.result);
        return undefined;
      case 'error':
        throw providerError(ProviderErrorCode.Unavailable, `Langflow failed to run the flow: ${detailOf(data)}`);
      default:
        return undefined;
    }
  }

  answer(): string {
    const text = this.result || this.text;
    if (!text.trim()) throw noText();
    return text;
  }
}

export const noText = () => providerError(ProviderErrorCode.Unavailable, 'The Langflow flow finished without a text answer: does it end in a Chat Output (output-type chat)?');

function detailOf(data: unknown): string {
  const error = (data as { error?: unknown } | undefined)?.error ?? data;
  const text = typeof error === 'string' ? error : errorBodyDetail(JSON.stringify(error ?? ''));
  return text.trim() || 'no details';
}
