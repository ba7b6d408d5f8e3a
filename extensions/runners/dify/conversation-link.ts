/**
 * The Dify conversation that continues a LangBot conversation, kept in the kernel's key-value store so it survives
 * a restart, for the app (base URL and key) it was made with: switching the pipeline to another Dify app starts
 * afresh instead of sending an id the new app does not know.
 */
import { createHash } from 'node:crypto';
import { RemoteIds, type ExtensionContext, type IdleResponse, type RemoteIdLink } from '@langbot-ts/sdk';
import { difyPost } from './http.js';
import type { DifySettings } from './settings.js';

/**
 * Sends a chat message within the linked Dify conversation; one Dify no longer knows (deleted, another app) is
 * started afresh once. The caller remembers the conversation Dify's answer names with `link.remember`.
 */
export async function openChat(
  ctx: ExtensionContext,
  settings: DifySettings,
  langbotConversation: string,
  message: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ response: IdleResponse; link: RemoteIdLink }> {
  // A short one-way fingerprint of the app: enough to tell apps apart, useless for recovering the key.
  const app = createHash('sha256').update(`${settings.baseUrl}\n${settings.apiKey}`).digest('hex').slice(0, 16);
  const link = await new RemoteIds(ctx, 'conversation').link(langbotConversation, app);
  const send = () => difyPost(settings, '/chat-messages', { ...message, conversation_id: link.current ?? '' }, signal);
  try {
    return { response: await send(), link };
  } catch (error) {
    if (!link.current || (error as { details?: { status?: number } }).details?.status !== 404) throw error;
    ctx.log.info('Dify no longer has the conversation; starting a new one.', { langbot_conversation_id: langbotConversation });
    await link.forget();
    return { response: await send(), link };
  }
}
