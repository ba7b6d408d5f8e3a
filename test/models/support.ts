import { afterEach } from 'vitest';
import { startChat, startFakeLlm, type ChatHarness, type ChatOptions, type FakeLlm, type FakeLlmOptions } from '../../sdk/testing/index.js';

const chats: ChatHarness[] = [];
const fakes: FakeLlm[] = [];
afterEach(async () => {
  await Promise.all(chats.splice(0).map((c) => c.stop()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

export async function kernel(options?: ChatOptions): Promise<ChatHarness> {
  const harness = await startChat(options);
  chats.push(harness);
  return harness;
}

export async function fakeLlm(options?: FakeLlmOptions): Promise<FakeLlm> {
  const fake = await startFakeLlm(options);
  fakes.push(fake);
  return fake;
}

/** The `models` service, as a test calls it. */
export function modelsOf(harness: ChatHarness) {
  const call = (method: string, args: Record<string, unknown> = {}) => harness.kernel.manager.invoke('services', 'models', method, args, { timeoutMs: 30_000 }) as Promise<any>;
  const chat = async (args: Record<string, unknown>) => {
    const items: any[] = [];
    for await (const item of harness.kernel.manager.stream('services', 'models', 'chat', args)) items.push(item);
    return items;
  };
  return { call, chat };
}

export const textOf = (items: { type: string; content?: string }[]) => items.filter((i) => i.type === 'delta' && i.content).map((i) => i.content).join('');
