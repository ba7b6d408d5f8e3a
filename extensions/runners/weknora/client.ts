/**
 * WeKnora's API: sessions under `/sessions`, and questions to `/agent-chat/{session}` or
 * `/knowledge-chat/{session}`, answered as server-sent events.
 */
import { ProviderErrorCode, providerError } from '@langbot-ts/sdk';
import { send } from './http.js';
import { statusError } from './http-errors.js';
import type { WeKnoraSettings } from './settings.js';
import { sseEvents, type SseEvent } from './sse.js';

/** Creating a session is quick: it does not get the answer's long timeout. */
const SESSION_TIMEOUT_MS = 30_000;

export class WeKnoraClient {
  constructor(
    private readonly settings: WeKnoraSettings,
    private readonly signal?: AbortSignal,
  ) {}

  async createSession(title: string): Promise<string> {
    const reply = await send(this.settings.service, {
      method: 'POST',
      url: `${this.settings.baseUrl}/sessions`,
      headers: this.headers(),
      body: { title },
      timeoutMs: Math.min(SESSION_TIMEOUT_MS, this.settings.timeoutMs),
      signal: this.signal,
    });
    const body = await reply.text();
    if (!reply.ok) throw statusError(this.settings.service, reply.status, body);
    let id: unknown;
    try {
      id = (JSON.parse(body) as { data?: { id?: unknown } }).data?.id;
    } catch {
      // Reported below.
    }
    if (typeof id !== 'string' || !id) throw providerError(ProviderErrorCode.Unavailable, `WeKnora created a session but sent no id (is ${this.settings.baseUrl} WeKnora's /api/v1?).`);
    return id;
  }

  /** The answer's events, or `gone` when WeKnora no longer knows the session. */
  async chat(sessionId: string, body: Record<string, unknown>): Promise<AsyncGenerator<SseEvent> | 'gone'> {
    const endpoint = this.settings.mode === 'agent' ? 'agent-chat' : 'knowledge-chat';
    const reply = await send(this.settings.service, {
      method: 'POST',
      url: `${this.settings.baseUrl}/${endpoint}/${encodeURIComponent(sessionId)}`,
      headers: { ...this.headers(), Accept: 'text/event-stream' },
      body,
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
    return this.settings.apiKey ? { 'X-API-Key': this.settings.apiKey } : {};
  }
}
