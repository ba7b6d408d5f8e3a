/**
 * `npm run dev:fake-llm [-- --port 5310]`: a local model provider for trying LangBot TS without an API key. It
 * speaks the OpenAI chat-completions API (and Anthropic's messages API), echoes what it is told word by word, and
 * calls the tool `get_time` when asked for the time, and any tool when told `use <tool> {json arguments}`. Point a provider at the printed base URL with any key.
 */
import { FakeLlm } from '../../sdk/testing/fake-llm.js';

export async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--port');
  const port = at >= 0 ? Number(argv[at + 1]) : 5310;
  const fake = await new FakeLlm({
    port,
    models: ['fake-chat', 'fake-embedding'],
    script: [
      { match: '^use ([\\w-]+)\\s*(\\{.*\\})?\\s*$', toolRounds: 0, tool_calls: [{ name: '$1', arguments: '$2' }] },
      { match: '\\btime\\b', toolRounds: 0, tool_calls: [{ name: 'get_time', arguments: {} }] },
      { afterTool: true, reply: 'The tool answered: {tool_result}', chunkByWords: true, chunkDelayMs: 40 },
      { reply: 'You said: {text}', chunkByWords: true, chunkDelayMs: 40 },
    ],
  }).start();
  console.log(`Fake model provider listening.
  OpenAI-compatible base URL: ${fake.url}
  Anthropic base URL:         ${fake.anthropicUrl}
  Models: fake-chat, fake-embedding (any API key is accepted). Ctrl-C stops it.`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await fake.close();
  return 0;
}
