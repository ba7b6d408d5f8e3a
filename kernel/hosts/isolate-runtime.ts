// Runs inside an isolated-vm isolate: plain V8, no Node. The host's bridge is the only way out.
import { Disposable, RAL } from 'vscode-jsonrpc';
import { FrameReader, FrameWriter } from '../rpc/frames.js';
import { RpcPeer } from '../rpc/peer.js';
import { serveRuntime } from './remote-runtime.js';

/** What the host puts on `globalThis.__langbotBridge` before this script runs. */
export interface IsolateBridge {
  name: string;
  maxFrameBytes: number;
  send(frame: string): void;
  armTimer(id: number, ms: number): void;
  clearTimer(id: number): void;
  output(text: string, stream: 'stdout' | 'stderr'): void;
  /** Set by this runtime: the host delivers every event through it. */
  dispatch?(events: IsolateEvent[], heapUsed: number): void;
}

/** One event the host delivers: a frame ('f') or a timer that fired ('t'). */
export type IsolateEvent = ['f', string] | ['t', number];

const g = globalThis as Record<string, any>;
const bridge = g.__langbotBridge as IsolateBridge;
delete g.__langbotBridge;

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}
const write = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => bridge.output(args.map(show).join(' '), stream);
const uncaught = (error: unknown) => bridge.output(`Uncaught ${show(error)}`, 'stderr');
const guarded = (fn: (...args: any[]) => unknown, args: unknown[]) => () => {
  try {
    fn(...args);
  } catch (e) {
    uncaught(e);
  }
};

g.console = { log: write('stdout'), info: write('stdout'), debug: write('stdout'), warn: write('stderr'), error: write('stderr'), trace: write('stderr') };

const timers = new Map<number, () => void>();
let timerSeq = 0;
function setTimer(fn: (...args: any[]) => unknown, ms: unknown, args: unknown[], repeat: boolean): number {
  const id = ++timerSeq;
  const delay = Math.max(0, Number(ms) || 0);
  const run = guarded(fn, args);
  const fire = () => {
    if (repeat) arm();
    run();
  };
  const arm = () => {
    timers.set(id, fire);
    bridge.armTimer(id, delay);
  };
  arm();
  return id;
}
function clearTimer(id: unknown): void {
  if (typeof id === 'number' && timers.delete(id)) bridge.clearTimer(id);
}
function fireTimer(id: number): void {
  const fire = timers.get(id);
  if (!fire) return;
  timers.delete(id);
  fire();
}

g.setTimeout = (fn: () => void, ms?: number, ...args: unknown[]) => setTimer(fn, ms, args, false);
g.setInterval = (fn: () => void, ms?: number, ...args: unknown[]) => setTimer(fn, ms, args, true);
g.clearTimeout = clearTimer;
g.clearInterval = clearTimer;
g.queueMicrotask ??= (fn: () => void) => void Promise.resolve().then(guarded(fn, []));
const origin = Date.now();
g.performance ??= { timeOrigin: origin, now: () => Date.now() - origin };

if (typeof g.AbortController === 'undefined') {
  type Listener = { fn: (event: unknown) => void; once: boolean };
  class AbortSignalPolyfill {
    aborted = false;
    reason: unknown = undefined;
    onabort: ((event: unknown) => void) | null = null;
    private listeners: Listener[] = [];
    static abort(reason?: unknown) {
      const controller = new AbortControllerPolyfill();
      controller.abort(reason);
      return controller.signal;
    }
    static timeout(ms: number) {
      const controller = new AbortControllerPolyfill();
      g.setTimeout(() => controller.abort(Object.assign(new Error('The operation timed out.'), { name: 'TimeoutError' })), ms);
      return controller.signal;
    }
    addEventListener(type: string, fn: (event: unknown) => void, options?: { once?: boolean } | boolean) {
      if (type !== 'abort' || typeof fn !== 'function' || this.listeners.some((l) => l.fn === fn)) return;
      this.listeners.push({ fn, once: typeof options === 'object' && !!options?.once });
    }
    removeEventListener(type: string, fn: (event: unknown) => void) {
      if (type === 'abort') this.listeners = this.listeners.filter((l) => l.fn !== fn);
    }
    throwIfAborted() {
      if (this.aborted) throw this.reason;
    }
    dispatchAbort() {
      const event = { type: 'abort', target: this };
      if (this.onabort) guarded(this.onabort, [event])();
      for (const l of [...this.listeners]) {
        if (l.once) this.removeEventListener('abort', l.fn);
        guarded(l.fn, [event])();
      }
    }
  }
  class AbortControllerPolyfill {
    readonly signal = new AbortSignalPolyfill();
    abort(reason: unknown = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })) {
      if (this.signal.aborted) return;
      this.signal.aborted = true;
      this.signal.reason = reason;
      this.signal.dispatchAbort();
    }
  }
  g.AbortController = AbortControllerPolyfill;
  g.AbortSignal = AbortSignalPolyfill;
}

const unsupported = () => {
  throw new Error('Byte-stream framing is not available inside an isolate.');
};
RAL.install({
  applicationJson: { encoder: { name: 'application/json', encode: unsupported }, decoder: { name: 'application/json', decode: unsupported } },
  messageBuffer: { create: unsupported },
  console: g.console,
  timer: {
    setTimeout: (fn, ms, ...args) => {
      const id = setTimer(fn, ms, args, false);
      return Disposable.create(() => clearTimer(id));
    },
    setInterval: (fn, ms, ...args) => {
      const id = setTimer(fn, ms, args, true);
      return Disposable.create(() => clearTimer(id));
    },
    setImmediate: (fn, ...args) => {
      let live = true;
      const run = guarded(fn, args);
      void Promise.resolve().then(() => live && run());
      return Disposable.create(() => (live = false));
    },
  },
});

const reader = new FrameReader(bridge.maxFrameBytes);
const writer = new FrameWriter((frame) => bridge.send(frame), reader, bridge.maxFrameBytes);
let heapUsedBytes = 0;

/** Entry point of every host → isolate delivery; the host bounds each call by the CPU time limit. */
bridge.dispatch = (events, heapUsed) => {
  heapUsedBytes = heapUsed;
  for (const [kind, value] of events) {
    try {
      if (kind === 'f') reader.push(value);
      else fireTimer(value);
    } catch (e) {
      uncaught(e);
    }
  }
};

/** Heap figures come from the host (V8 heap statistics of this isolate, as of the latest delivery). */
export default function start(extension: unknown): void {
  const peer = new RpcPeer({ reader, writer, close: () => reader.close() }, { name: bridge.name });
  serveRuntime(peer, async () => extension, () => ({ heapUsedBytes }));
}
