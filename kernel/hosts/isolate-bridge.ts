import ivm from 'isolated-vm';
import type { IsolateBridge, IsolateEvent } from './isolate-runtime.js';

const MAX_BATCH = 64;
const MAX_TIMERS = 10_000;
const TIMED_OUT = 'Script execution timed out.';

export interface IsolateLinkOptions {
  name: string;
  maxFrameBytes: number;
  cpuTimeMs: number;
  memoryMb: number;
  onFrame(frame: string): void;
  onOutput(text: string, stream: 'stdout' | 'stderr'): void;
  /** The isolate can't go on (CPU or memory limit, disposed); the host disposes it and reports `reason`. */
  onFatal(reason: string): void;
}

/**
 * The kernel side of the bridge. Every entry into the isolate is one `apply` carrying a batch of events in order,
 * never more than one at a time, each bounded by the CPU time limit (the timeout also covers the microtasks the
 * entry starts). The isolate answers through fire-and-forget callbacks, which isolated-vm runs in order.
 */
export function createIsolateLink(isolate: ivm.Isolate, options: IsolateLinkOptions) {
  const timers = new Map<number, NodeJS.Timeout>();
  const queue: IsolateEvent[] = [];
  let context: ivm.Context | undefined;
  let dispatch: ivm.Reference<IsolateBridge['dispatch']> | undefined;
  let pumping = false;
  let closed = false;

  /** Tells the host's own verdicts apart from errors the extension threw (which could carry the same text). */
  const reasonOf = (error: unknown, ranMs: number): string | undefined => {
    const message = error instanceof Error ? error.message : String(error);
    if (isolate.isDisposed) return /memory limit/.test(message) ? `memory limit of ${options.memoryMb} MB exceeded` : `isolate disposed: ${message}`;
    if (message === TIMED_OUT && ranMs >= options.cpuTimeMs) return `cpu time limit of ${options.cpuTimeMs} ms exceeded`;
    return undefined;
  };
  const fail = (error: unknown, ranMs: number) => {
    if (closed) return;
    const reason = reasonOf(error, ranMs);
    if (reason) options.onFatal(reason);
    else options.onOutput(`Uncaught ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'stderr');
  };
  // Reading heap statistics takes the isolate's lock, so it is sampled rather than read on every delivery.
  let heap = { value: 0, at: -Infinity };
  const heapUsed = () => {
    const now = performance.now();
    if (now - heap.at > 250) heap = { value: isolate.getHeapStatisticsSync().used_heap_size, at: now };
    return heap.value;
  };
  const deliver = (event: IsolateEvent) => {
    if (closed) return;
    queue.push(event);
    if (!pumping && dispatch) void pump();
  };
  const pump = async () => {
    pumping = true;
    while (queue.length > 0 && dispatch && !closed) {
      const batch = queue.splice(0, MAX_BATCH);
      const started = performance.now();
      try {
        await dispatch.apply(undefined, [batch, heapUsed()], { arguments: { copy: true }, timeout: options.cpuTimeMs });
      } catch (e) {
        fail(e, performance.now() - started);
      }
    }
    pumping = false;
  };
  const guard = <A extends unknown[]>(fn: (...args: A) => void) =>
    new ivm.Callback((...args: A) => void (closed || fn(...args)), { ignored: true });
  const bridge = [
    guard((frame: string) => options.onFrame(String(frame))),
    guard((id: number, ms: number) => {
      clearTimeout(timers.get(id));
      if (timers.size >= MAX_TIMERS) return options.onOutput(`Timer refused: more than ${MAX_TIMERS} pending timers.`, 'stderr');
      const delay = Math.min(Math.max(0, Number(ms) || 0), 2 ** 31 - 1);
      timers.set(id, setTimeout(() => timers.delete(id) && deliver(['t', id]), delay));
    }),
    guard((id: number) => {
      clearTimeout(timers.get(id));
      timers.delete(id);
    }),
    guard((text: string, stream: string) => options.onOutput(String(text), stream === 'stdout' ? 'stdout' : 'stderr')),
  ];

  return {
    deliver,

    /** Runs the extension bundle, whose runtime registers its dispatcher on the bridge. Throws with a reason. */
    async load(bundle: string, bundleFile: string): Promise<void> {
      const started = performance.now();
      try {
        context = await isolate.createContext();
        const handle: ivm.Reference<IsolateBridge> = await context.evalClosure(
          'return globalThis.__langbotBridge = { name: $0, maxFrameBytes: $1, send: $2, armTimer: $3, clearTimer: $4, output: $5 };',
          [options.name, options.maxFrameBytes, ...bridge],
          { result: { reference: true } },
        );
        const script = await isolate.compileScript(bundle, { filename: `file://${bundleFile}` });
        await script.run(context, { timeout: options.cpuTimeMs });
        script.release();
        const entry = handle.getSync('dispatch', { reference: true });
        handle.release();
        if (entry.typeof !== 'function') throw new Error('The bundle does not contain the isolate runtime.');
        dispatch = entry as ivm.Reference<IsolateBridge['dispatch']>;
      } catch (e) {
        throw new Error(reasonOf(e, performance.now() - started) ?? (e instanceof Error ? e.message : String(e)));
      }
      if (queue.length > 0) void pump();
    },

    close(): void {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      queue.length = 0;
      if (!isolate.isDisposed) {
        dispatch?.release();
        context?.release();
      }
    },
  };
}

export type IsolateLink = ReturnType<typeof createIsolateLink>;
