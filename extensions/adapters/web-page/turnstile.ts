/** Checks a Cloudflare Turnstile token with the siteverify API (form-encoded POST, JSON answer). */
export const TURNSTILE_TIMEOUT_MS = 10_000;

export type TurnstileVerdict = { ok: true } | { ok: false; unreachable: boolean; reason: string };

export async function verifyTurnstile(url: string, secret: string, response: string, remoteip?: string): Promise<TurnstileVerdict> {
  const body = new URLSearchParams({ secret, response });
  if (remoteip) body.set('remoteip', remoteip);
  let answer: { success?: unknown; 'error-codes'?: unknown };
  try {
    const res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(TURNSTILE_TIMEOUT_MS) });
    if (!res.ok) return { ok: false, unreachable: true, reason: `Turnstile answered HTTP ${res.status}` };
    answer = (await res.json()) as typeof answer;
  } catch (error) {
    return { ok: false, unreachable: true, reason: `Turnstile could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (answer?.success === true) return { ok: true };
  const codes = Array.isArray(answer?.['error-codes']) ? answer['error-codes'].map(String).join(', ') : '';
  return { ok: false, unreachable: false, reason: `The Turnstile check failed${codes ? ` (${codes})` : ''}.` };
}
