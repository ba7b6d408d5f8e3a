/**
 * An n8n answer in either of its shapes. A workflow that streams sends newline-delimited JSON items
 * (`{"type":"begin"}`, `{"type":"item","content":"…"}`, `{"type":"end"}`, `{"type":"error"}`), possibly from
 * several nodes; any other workflow sends one body, usually JSON with the reply at the output key. The first
 * line tells which: a streamed answer opens with an item.
 */
import { answerError, streamedError } from './errors.js';
import type { N8nSettings } from './settings.js';

const ITEM_TYPES = new Set(['begin', 'item', 'end', 'error']);

interface StreamItem {
  type: string;
  content?: unknown;
}

function asItem(line: string): StreamItem | undefined {
  try {
    const value = JSON.parse(line) as StreamItem;
    return value && typeof value === 'object' && !Array.isArray(value) && ITEM_TYPES.has(value.type) ? value : undefined;
  } catch {
    return undefined;
  }
}

export class ReplyReader {
  private shape: 'unknown' | 'streamed' | 'whole' = 'unknown';
  /** Not yet consumed: an unfinished line when streamed, the whole body otherwise. */
  private pending = '';
  /** The streamed text so far. */
  text = '';

  constructor(private readonly settings: N8nSettings) {}

  get streamed(): boolean {
    return this.shape === 'streamed';
  }

  /** Takes more of the body in; true when the streamed text grew. */
  push(chunk: string): boolean {
    this.pending += chunk;
    if (this.shape === 'unknown') {
      const start = this.pending.trimStart();
      const newline = start.indexOf('\n');
      if (newline === -1) return false;
      this.shape = asItem(start.slice(0, newline)) ? 'streamed' : 'whole';
    }
    if (this.shape === 'whole') return false;
    const lines = this.pending.split('\n');
    this.pending = lines.pop()!;
    let grew = false;
    for (const line of lines) grew = this.take(line) || grew;
    return grew;
  }

  /** The reply, once the body has ended. */
  finish(): string {
    if (this.shape === 'unknown') this.shape = asItem(this.pending.trim()) ? 'streamed' : 'whole';
    if (this.shape === 'whole') return this.wholeText(this.pending.trim());
    this.take(this.pending);
    this.pending = '';
    if (!this.text) throw answerError('The n8n workflow streamed no text.', this.settings);
    return this.text;
  }

  private take(line: string): boolean {
    const item = line.trim() ? asItem(line.trim()) : undefined;
    if (!item) return false;
    if (item.type === 'error') throw streamedError(typeof item.content === 'string' ? item.content : '', this.settings);
    if (item.type !== 'item' || item.content === undefined || item.content === null || item.content === '') return false;
    this.text += typeof item.content === 'string' ? item.content : JSON.stringify(item.content);
    return true;
  }

  private wholeText(body: string): string {
    if (!body) {
      throw answerError('The n8n workflow answered with an empty body: make it respond with the reply (a Respond to Webhook node, or the webhook’s Respond option set to "When Last Node Finishes").', this.settings);
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      // A workflow may answer with plain text.
      return body;
    }
    if (Array.isArray(value)) value = value[0];
    if (value === null || typeof value !== 'object') return typeof value === 'string' ? value : JSON.stringify(value ?? '');
    const key = this.settings.outputKey;
    for (const candidate of [key, 'output', 'text']) {
      const found = fieldAt(value as Record<string, unknown>, candidate);
      if (found !== undefined && found !== null) return typeof found === 'string' ? found : JSON.stringify(found);
    }
    const fields = Object.keys(value);
    const hint =
      (value as { message?: unknown }).message === 'Workflow was started'
        ? ' The webhook answers as soon as the workflow starts: set its Respond option to "When Last Node Finishes" or use a Respond to Webhook node.'
        : ' Set the output key (AI → n8n workflow) to the field that holds the reply.';
    throw answerError(`The n8n answer has no '${key}' field (it has: ${fields.join(', ') || 'no fields'}).${hint}`, this.settings);
  }
}

/** `a.b` reads a nested field, unless the object has a field literally named `a.b`. */
function fieldAt(object: Record<string, unknown>, path: string): unknown {
  if (path in object) return object[path];
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
