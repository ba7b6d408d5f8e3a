/**
 * WeKnora's API: sessions under `/sessions`, and questions to `/agent-chat/{session}` or
 * `/knowledge-chat/{session}`, answered as server-sent events.
 */
import { ProviderErrorCode, providerError, readEventAnswer, readJsonAnswer, sendJson, type SseEvent } from '@langbot-ts/sdk';
import type { WeKnoraSettings } from './settings.js';

/** Creating a session is quick: it does not get the answer's long timeout. */
const SESSION_TIMEOUT_MS = 30_000;

export class WeKnoraClient {
  constructor(
    private readonly settings: WeKnoraSettings,
    private readonly signal?: AbortSignal,
  ) {}

  async createSession(title: string): Promise<string> {
    const { platform, baseUrl, timeoutMs } = this.settings;
    const reply = await sendJson(platform, { method: 'POST', url: `${baseUrl}/sessions`, headers: this.headers(), body: { title }, timeoutMs: Math.min(SESSION_TIMEOUT_MS, timeoutMs), signal: this.signal });
    const id = ((await readJsonAnswer(platform, reply)) as { data?: { id?: unknown } } | undefined)?.data?.id;
    if (typeof id !== 'string' || !id) throw providerError(ProviderErrorCode.Unavailable, `WeKnora created a session but sent no id (is ${baseUrl} WeKnora's /api/v1?).`);
    return id;
  }

  /** The answer's events, or `gone` when WeKnora no longer knows the session. */
  async chat(sessionId: string, body: Record<string, unknown>): Promise<AsyncGenerator<SseEvent> | 'gone'> {
    const { platform, baseUrl, timeoutMs, mode } = this.settings;
    const url = `${baseUrl}/${mode === 'agent' ? 'agent-chat' : 'knowledge-chat'}/${encodeURIComponent(sessionId)}`;
    const reply = await sendJson(platform, { method: 'POST', url, headers: { ...this.headers(), Accept: 'text/event-stream' }, body, timeoutMs, signal: this.signal });
    return readEventAnswer(platform, reply);
  }

  private headers(): Record<string, string> {
    return this.settings.apiKey ? { 'X-API-Key': this.settings.apiKey } : {};
  }
}
