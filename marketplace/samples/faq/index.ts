import { contentText, defineExtension, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';

interface Entry {
  question: string;
  answer: string;
}
interface FaqConfig {
  entries?: Entry[];
  minScore?: number;
  fallback?: string;
}

/** Lowercase words of two letters or more; a CJK character counts as a word of its own. */
function words(text: string): Set<string> {
  const found = text.toLowerCase().match(/[\p{Script=Han}]|[\p{L}\p{N}]{2,}/gu) ?? [];
  return new Set(found);
}

/** The entry whose question words the message covers best (ties: the first), if it covers at least minScore. */
function bestAnswer(message: string, config: FaqConfig): string | undefined {
  const said = words(message);
  let best: { entry: Entry; score: number } | undefined;
  for (const entry of config.entries ?? []) {
    const asked = words(entry.question);
    if (asked.size === 0) continue;
    const score = [...asked].filter((w) => said.has(w)).length / asked.size;
    if (!best || score > best.score) best = { entry, score };
  }
  return best && best.score > 0 && best.score >= (config.minScore ?? 0.5) ? best.entry.answer : undefined;
}

export default defineExtension({
  activate(ctx) {
    ctx.provide('runners', 'faq', {
      async *run(request: RunnerRequest): AsyncGenerator<RunnerMessage> {
        const config = (request.config ?? {}) as FaqConfig;
        const answer = bestAnswer(contentText(request.user_message.content), config) ?? config.fallback ?? "Sorry, I don't know that one yet.";
        yield { role: 'assistant', content: answer };
      },
    });
  },
});
