/**
 * DeerFlow's LangGraph API: threads are created under `/api/langgraph/threads`, and a run on a thread answers as a
 * stream of server-sent events (`values`, `messages`, `custom`, `error`…).
 */
import { ProviderErrorCode, providerError, readEventAnswer, readJsonAnswer, sendJson, type SseEvent } from '@langbot-ts/sdk';
import type { DeerFlowSettings } from './settings.js';

/** Creating a thread is quick: it does not get the run's long timeout. */
const THREAD_TIMEOUT_MS = 20_000;

export interface RunPayload {
  assistant_id: string;
  input: { messages: { role: 'user'; content: unknown }[] };
  stream_mode: string[];
  config: { recursion_limit: number; configurable: Record<string, unknown> };
}

export class DeerFlowClient {
  constructor(
    private readonly settings: DeerFlowSettings,
    private readonly signal?: AbortSignal,
  ) {}

  async createThread(metadata: Record<string, unknown>): Promise<string> {
    const { platform, apiBase, timeoutMs } = this.settings;
    const reply = await sendJson(platform, { method: 'POST', url: `${apiBase}/api/langgraph/threads`, headers: this.headers(), body: { metadata }, timeoutMs: Math.min(THREAD_TIMEOUT_MS, timeoutMs), signal: this.signal });
    const id = ((await readJsonAnswer(platform, reply)) as { thread_id?: unknown } | undefined)?.thread_id;
    if (typeof id !== 'string' || !id) throw providerError(ProviderErrorCode.Unavailable, `DeerFlow created a thread but sent no thread_id (is ${apiBase} a DeerFlow gateway?).`);
    return id;
  }

  /** The run's events, or `gone` when DeerFlow no longer knows the thread. */
  async streamRun(threadId: string, payload: RunPayload): Promise<AsyncGenerator<SseEvent> | 'gone'> {
    const { platform, apiBase, timeoutMs } = this.settings;
    const url = `${apiBase}/api/langgraph/threads/${encodeURIComponent(threadId)}/runs/stream`;
    const reply = await sendJson(platform, { method: 'POST', url, headers: { ...this.headers(), Accept: 'text/event-stream' }, body: payload, timeoutMs, signal: this.signal });
    return readEventAnswer(platform, reply);
  }

  private headers(): Record<string, string> {
    return this.settings.authorization ? { Authorization: this.settings.authorization } : {};
  }
}
