import { contentText, defineExtension, type RunnerMessage, type RunnerRequest } from '@langbot-ts/sdk';

/**
 * The benchmark shares this process with the kernel (in-process host), so it reaches the probe through a global:
 * `emit` is what a real adapter does on an inbound message; `onReply` sees every reply the pipeline sends.
 */
interface Probe {
  call(service: string, method: string, args?: Record<string, unknown>): Promise<any>;
  emit(event: Record<string, unknown>): Promise<{ accepted: boolean }>;
  onReply?(args: { event: { message_id: string } }): void;
  onChunk?(args: { event: { message_id: string }; is_final?: boolean }): void;
  stream(service: string, method: string, args?: Record<string, unknown>): AsyncIterable<any>;
}

export default defineExtension({
  activate(ctx) {
    const probe: Probe = {
      call: (service, method, args) => ctx.call(service, method, args ?? {}),
      emit: (event) => ctx.call('events', 'emit', { event }),
      stream: (service, method, args) => ctx.stream(service, method, args ?? {}),
    };
    (globalThis as { __langbotBenchProbe?: Probe }).__langbotBenchProbe = probe;
    const adapter = {
      start: () => ({ account_id: 'bench-bot' }),
      stop: () => ({}),
      send_message: () => ({}),
      reply_message: (args: { event: { message_id: string } }) => {
        probe.onReply?.(args);
        return { message_id: `r-${args.event.message_id}` };
      },
    };
    ctx.provide('adapters', 'bench', adapter);
    ctx.provide('adapters', 'bench-stream', {
      ...adapter,
      reply_message_chunk: (args: { event: { message_id: string }; is_final?: boolean }) => {
        probe.onChunk?.(args);
        return { message_id: `r-${args.event.message_id}` };
      },
    });
    ctx.provide('runners', 'instant', {
      async *run(request: RunnerRequest): AsyncGenerator<RunnerMessage> {
        yield { role: 'assistant', content: `ok ${contentText(request.user_message.content).length}` };
      },
    });
    ctx.onDispose(() => {
      delete (globalThis as { __langbotBenchProbe?: Probe }).__langbotBenchProbe;
    });
  },
});
