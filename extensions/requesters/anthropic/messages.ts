/**
 * Conversation messages in Anthropic's Messages shape: the system prompt apart, tool calls as `tool_use` blocks,
 * tool results as `tool_result` blocks in a user turn, images as base64 or URL sources.
 */
import type { ContentPart, ConversationMessage } from '@langbot-ts/sdk';

type Block = Record<string, unknown>;
export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | Block[];
}

function image(url: string): Block {
  const data = /^data:([^;]+);base64,(.*)$/s.exec(url);
  return data ? { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } } : { type: 'image', source: { type: 'url', url } };
}

function blocks(content: ConversationMessage['content']): Block[] {
  if (content === null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return content.map((p: ContentPart) => (p.type === 'text' ? { type: 'text', text: p.text } : p.type === 'image_url' ? image(p.image_url.url) : { type: 'text', text: `[File ${p.file_url.name ?? ''}: ${p.file_url.url}]` }));
}

const text = (content: ConversationMessage['content']) => blocks(content).map((b) => (b.type === 'text' ? String(b.text) : '')).join('');

export function toAnthropic(messages: ConversationMessage[]): { system?: string; messages: AnthropicMessage[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => text(m.content)).join('\n\n');
  const out: AnthropicMessage[] = [];
  const push = (role: 'user' | 'assistant', content: Block[]) => {
    const last = out.at(-1);
    // Anthropic wants alternating turns: consecutive blocks of one side are merged.
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...content);
    else out.push({ role, content });
  };
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') push('user', [{ type: 'tool_result', tool_use_id: m.tool_call_id ?? '', content: text(m.content) }]);
    else if (m.role === 'user') push('user', blocks(m.content));
    else {
      const calls = (m.tool_calls ?? []).map((c) => ({ type: 'tool_use', id: c.id, name: c.function.name, input: safeJson(c.function.arguments) }));
      push('assistant', [...blocks(m.content), ...calls]);
    }
  }
  return { ...(system ? { system } : {}), messages: out };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}
