/**
 * The body of `POST /apps/{app_id}/completion`: the user's text as the prompt, image URLs, the session to
 * continue, and per application type the parameters (an agent shows its reasoning; a workflow gets the query
 * variables as `biz_params` and streams in the agent's format).
 */
import type { RunnerRequest } from '@langbot-ts/sdk';
import type { DashScopeConfig } from './config.js';

export function completionBody(config: DashScopeConfig, request: RunnerRequest, sessionId: string | undefined): Record<string, unknown> {
  const content = request.user_message.content;
  const parts = Array.isArray(content) ? content : [];
  const prompt = typeof content === 'string' ? content : parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  // The application API takes images by public URL only; inline images would need Model Studio's upload flow.
  const images = parts.flatMap((p) => (p.type === 'image_url' && /^https?:\/\//i.test(p.image_url.url) ? [p.image_url.url] : []));
  const input: Record<string, unknown> = { prompt };
  if (sessionId) input.session_id = sessionId;
  if (images.length) input.image_list = images;
  const parameters: Record<string, unknown> = { incremental_output: true };
  if (config.appType === 'workflow') {
    input.biz_params = businessParams(request.variables);
    parameters.flow_stream_mode = 'agent_format';
  } else {
    parameters.has_thoughts = true;
    parameters.enable_thinking = true;
  }
  return { input, parameters, debug: {} };
}

/** Attachments the application API cannot take: inline images and any file. */
export function unsentAttachments(request: RunnerRequest): number {
  const content = request.user_message.content;
  if (!Array.isArray(content)) return 0;
  return content.filter((p) => p.type === 'file_url' || (p.type === 'image_url' && !/^https?:\/\//i.test(p.image_url.url))).length;
}

/** The query variables a workflow may read; names starting with `_` are LangBot's own bookkeeping. */
function businessParams(variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(variables ?? {}).filter(([name, value]) => !name.startsWith('_') && value !== undefined));
}
