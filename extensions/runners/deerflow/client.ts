/**
 * DeerFlow's LangGraph API: threads are created under `/api/langgraph/threads`, and a run on a thread answers as a
 * stream of server-sent events (`values`, `messages`, `custom`, `error`…).
 */
import { ProviderErrorCode, providerError } from '@langbot-ts/sdk';
import { send } from './http.js';
import { statusError } from './http-errors.js';
import type { DeerFlowSettings } from './settings.js';
import { sseEvents, type SseEvent } from './sse.js';

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
    const reply = await send(this.settings.service, {
      method: 'POST',
      url: `${this.settings.apiBase}/api/langgraph/threads`,
      headers: this.headers(),
      body: { metadata },
      timeoutMs: Math.min(THREAD_TIMEOUT_MS, this.settings.timeoutMs),
      signal: this.signal,
    });
    const body = await reply.text();
    if (!reply.ok) throw statusError(this.settings.service, reply.status, body);
    let id: unknown;
    try {
      id = (JSON.parse(body) as { thread_id?: unknown }).thread_id;
    } catch {
      // Reported below.
    }
    if (typeof id !== 'string' || !id) throw providerError(ProviderErrorCode.Unavailable, `DeerFlow created a thread but sent no thread_id (is ${this.settings.apiBase} a DeerFlow gateway?).`);
    return id;
  }

  /** The run's events, or `gone` when DeerFlow no longer knows the thread. */
  async streamRun(threadId: string, payload: RunPayload): Promise<AsyncGenerator<SseEvent> | 'gone'> {
    const reply = await send(this.settings.service, {
      method: 'POST',
      url: `${this.settings.apiBase}/api/langgraph/threads/${encodeURIComponent(threadId)}/runs/stream`,
      headers: { ...this.headers(), Accept: 'text/event-stream' },
      body: payload,
      timeoutMs: this.settings.timeoutMs,
      signal: this.signal,
    });
    if (reply.status === 404) {
      await reply.text();
      return 'gone';
    }
    if (!reply.ok) throw statusError(this.settings.service, reply.status, await reply.text());
    return sseEvents(reply.pieces());
  }

  private headers(): Record<string, string> {
    return this.settings.authorization ? { Authorization: this.settings.authorization } : {};
  }
}
