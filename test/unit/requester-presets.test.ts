import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PRESET_IDS } from '../../extensions/requesters/openai-compatible/presets.js';

const REPO = join(import.meta.dirname, '../..');
const manifest = (dir: string) => parse(readFileSync(join(REPO, dir, 'manifest.yaml'), 'utf8'));

describe('requester presets', () => {
  const declared = manifest('extensions/requesters/openai-compatible').contributes.requesters as { id: string; modelTypes: string[]; defaultBaseUrl: string }[];

  it('declares exactly the presets the code provides, each with model types and a default base URL', () => {
    expect(declared.map((r) => r.id).sort()).toEqual([...PRESET_IDS].sort());
    for (const r of declared) {
      expect(r.modelTypes.length, r.id).toBeGreaterThan(0);
      expect(r.defaultBaseUrl, r.id).toMatch(/^https?:\/\/[^ ]+$/);
    }
  });

  it('covers the OpenAI-compatible providers the issue names, with upstream ids', () => {
    const ids = new Set(declared.map((r) => r.id));
    for (const id of ['deepseek-chat-completions', 'moonshot-chat-completions', 'xai-chat-completions', 'zhipuai-chat-completions', 'siliconflow-chat-completions', 'openrouter-chat-completions', 'groq-chat-completions', 'ollama-chat', 'lmstudio-chat-completions', 'gemini-chat-completions', 'bailian-chat-completions', 'volcark-chat-completions']) {
      expect(ids.has(id), id).toBe(true);
    }
    expect(manifest('extensions/requesters/anthropic').contributes.requesters[0].id).toBe('anthropic-messages');
  });
});
