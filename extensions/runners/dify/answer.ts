/**
 * Builds one reply from the events of a Dify stream. Chat and agent apps write the answer in `message` /
 * `agent_message` deltas; a workflow app's answer is its final outputs (`text_chunk` deltas show it meanwhile).
 * Images a tool made arrive as `message_file` events and are sent after the text.
 */
import { finalReply, providerError, ProviderErrorCode, type MessageChain, type RunnerMessage } from '@langbot-ts/sdk';
import { streamError, type DifyFailure } from './errors.js';
import type { DifyAppType, DifySettings } from './settings.js';

/** The fields of Dify stream events this runner reads. */
export interface DifyEvent extends DifyFailure {
  event?: string;
  answer?: string;
  conversation_id?: string;
  type?: string;
  url?: string;
  belongs_to?: string;
  data?: { text?: string; status?: string; error?: string | null; outputs?: Record<string, unknown> | null };
}

export class Answer {
  text = '';
  conversationId?: string;
  private readonly images: string[] = [];

  constructor(
    private readonly appType: DifyAppType,
    private readonly settings: DifySettings,
  ) {}

  /** Takes one event in; true when the text changed. Throws on an error event or a failed workflow. */
  apply(event: DifyEvent): boolean {
    if (event.conversation_id) this.conversationId = event.conversation_id;
    switch (event.event) {
      case 'message':
      case 'agent_message':
        return this.append(event.answer);
      case 'message_replace':
        // Output moderation replaced the whole answer.
        this.text = event.answer ?? '';
        return true;
      case 'text_chunk':
        return this.appType === 'workflow' && this.append(event.data?.text);
      case 'message_file':
        if (event.type === 'image' && event.url && event.belongs_to !== 'user') this.images.push(new URL(event.url, this.settings.baseUrl + '/').href);
        return false;
      case 'workflow_finished':
        return this.workflowFinished(event.data ?? {});
      case 'error':
        throw streamError(event, this.settings);
      default:
        return false;
    }
  }

  /** The complete reply, or the last chunk of a streamed one. */
  final(streamed: boolean): RunnerMessage {
    if (!this.text && this.images.length === 0) {
      const hint = this.appType === 'workflow' ? "the workflow's End node needs an output (e.g. 'answer')" : 'check the app in Dify';
      throw providerError(ProviderErrorCode.Unavailable, `Dify finished without an answer; ${hint}.`);
    }
    const chain: MessageChain | undefined = this.images.length > 0 ? [...(this.text ? [{ type: 'Plain' as const, text: this.text }] : []), ...this.images.map((url) => ({ type: 'Image' as const, url }))] : undefined;
    return { ...finalReply(this.text, streamed), ...(chain ? { chain } : {}) };
  }

  private append(delta: string | undefined): boolean {
    if (!delta) return false;
    this.text += delta;
    return true;
  }

  /** The outputs replace what text chunks showed; the final message carries them, so no chunk is due here. */
  private workflowFinished(data: NonNullable<DifyEvent['data']>): false {
    if (data.status && data.status !== 'succeeded') {
      throw providerError(ProviderErrorCode.Unavailable, `The Dify workflow ${data.status}${data.error ? `: ${data.error}` : ''}.`, { workflow_status: data.status });
    }
    // In a chatflow the answer came as messages; only a workflow app answers with its outputs.
    const text = this.appType === 'workflow' ? outputText(data.outputs) : undefined;
    if (text !== undefined) this.text = text;
    return false;
  }
}

/** The answer of a workflow: its `answer` output, else its first text output, else all outputs as JSON. */
function outputText(outputs: Record<string, unknown> | null | undefined): string | undefined {
  if (!outputs || Object.keys(outputs).length === 0) return undefined;
  if (typeof outputs.answer === 'string') return outputs.answer;
  const first = Object.values(outputs).find((v): v is string => typeof v === 'string');
  return first ?? JSON.stringify(outputs);
}
