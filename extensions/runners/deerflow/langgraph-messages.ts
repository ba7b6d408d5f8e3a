/**
 * Reading LangChain messages as the LangGraph API serialises them: who wrote a message, its text, and the
 * DeerFlow-specific signals (a clarification question, failed subtasks).
 */

export interface LangGraphMessage {
  type?: string;
  role?: string;
  name?: string;
  id?: string;
  content?: unknown;
  [key: string]: unknown;
}

const record = (value: unknown): Record<string, unknown> | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/** The text of a message's content: a string, or the text parts of a list (thinking and tool parts left out). */
export function textOf(content: unknown, separator = ''): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : record(part)?.type === 'text' && typeof record(part)!.text === 'string' ? (record(part)!.text as string) : ''))
      .filter(Boolean)
      .join(separator);
  }
  const object = record(content);
  if (object) return textOf(object.text ?? object.content ?? record(object.kwargs)?.content, separator);
  return '';
}

const kind = (message: LangGraphMessage) => String(message.type ?? message.role ?? '').toLowerCase();

export function isAi(message: LangGraphMessage): boolean {
  const k = kind(message);
  if (['ai', 'assistant', 'aimessage', 'aimessagechunk'].includes(k)) return true;
  return k.includes('ai') && !k.includes('human') && !k.includes('tool') && !k.includes('system');
}

const isHuman = (message: LangGraphMessage) => ['human', 'user', 'humanmessage'].includes(kind(message));

/** DeerFlow asks the user something by calling its `ask_clarification` tool; the tool message holds the question. */
export const isClarification = (message: LangGraphMessage) => kind(message).startsWith('tool') && message.name === 'ask_clarification';

/** The messages of a `values` event (the thread's whole state after a step). */
export function stateMessages(data: unknown): LangGraphMessage[] {
  const list = Array.isArray(data) ? data : (record(data)?.messages ?? record(record(data)?.values)?.messages);
  return Array.isArray(list) ? list.filter((m): m is LangGraphMessage => record(m) !== undefined) : [];
}

/** The messages this run added: everything after the last human message of the state. */
export function messagesOfRun(messages: LangGraphMessage[]): LangGraphMessage[] {
  for (let i = messages.length - 1; i >= 0; i--) if (isHuman(messages[i])) return messages.slice(i + 1);
  return messages;
}

/** The message of a `messages` (messages-tuple) event: `[message, metadata]`. */
export function tupleMessage(data: unknown): LangGraphMessage | undefined {
  const first = Array.isArray(data) ? data[0] : data;
  const message = record(first);
  if (!message) return undefined;
  // Some serialisations wrap the message: {type, data: {...}}.
  const inner = record(message.data);
  return message.content === undefined && inner ? ({ type: message.type, ...inner } as LangGraphMessage) : (message as LangGraphMessage);
}

/** What the user should read from a finished run's messages: a clarification question, else the last AI text. */
export function answerOf(messages: LangGraphMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (isClarification(message)) return textOf(message.content, '\n');
    if (isAi(message)) {
      const text = textOf(message.content, '\n');
      if (text.trim()) return text;
    }
  }
  return '';
}

/** Failed subtasks reported in a `custom` event. */
export function taskFailures(data: unknown): string[] {
  const items = Array.isArray(data) ? data : [data];
  const failures: string[] = [];
  for (const item of items) {
    const event = record(item);
    if (!event || (event.type !== 'task_failed' && event.type !== 'task_timed_out')) continue;
    const task = typeof event.task_id === 'string' && event.task_id ? event.task_id : '';
    const error = typeof event.error === 'string' && event.error ? event.error : '';
    failures.push(task && error ? `${task}: ${error}` : error || (task ? `${task}: unknown error` : 'unknown task failure'));
  }
  return failures;
}

export function failureSummary(failures: string[]): string {
  const unique = [...new Set(failures)];
  if (unique.length === 1) return `DeerFlow subtask failed: ${unique[0]}`;
  return `DeerFlow subtasks failed:\n${unique.slice(0, 5).map((f) => `- ${f}`).join('\n')}`;
}
