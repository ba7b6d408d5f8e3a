/** Conversation messages in OpenAI's chat-completions shape. */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ContentPart, ConversationMessage } from '@langbot-ts/sdk';

function parts(content: ContentPart[]) {
  return content.map((p) =>
    p.type === 'text' ? { type: 'text' as const, text: p.text } : p.type === 'image_url' ? { type: 'image_url' as const, image_url: { url: p.image_url.url } } : { type: 'text' as const, text: `[File ${p.file_url.name ?? ''}: ${p.file_url.url}]` },
  );
}

export function toOpenAiMessages(messages: ConversationMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    const text = typeof m.content === 'string' ? m.content : m.content === null ? null : undefined;
    switch (m.role) {
      case 'system':
        return { role: 'system', content: text ?? ((m.content ?? []) as ContentPart[]).map((p) => (p.type === 'text' ? p.text : '')).join('') };
      case 'tool':
        return { role: 'tool', tool_call_id: m.tool_call_id ?? '', content: text ?? JSON.stringify(m.content) };
      case 'user':
        return { role: 'user', content: text ?? parts((m.content ?? []) as ContentPart[]) };
      default: {
        // assistant, and the pipeline's own roles (command, plugin) which models know as the assistant speaking
        const content = text !== undefined ? text : (m.content as ContentPart[]).map((p) => (p.type === 'text' ? p.text : '')).join('');
        return m.tool_calls?.length ? { role: 'assistant', content, tool_calls: m.tool_calls } : { role: 'assistant', content: content ?? '' };
      }
    }
  });
}
