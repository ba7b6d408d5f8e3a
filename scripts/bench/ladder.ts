/**
 * The RPC stack built up one layer at a time over the same port, so each layer's cost is the difference between
 * two rungs:
 *   string  – the bare string echo
 *   json    – a hand-written JSON-RPC exchange: JSON.stringify + JSON.parse on both sides, ids in a Map
 *   vscode  – vscode-jsonrpc's MessageConnection with the thinnest reader/writer (JSON only)
 *   frames  – vscode-jsonrpc over the kernel's FrameReader/FrameWriter (createPortTransport: frame checks)
 *   peer    – RpcPeer (ajv validation, inactivity timer, cancellation source, progress token, AbortSignal …)
 * and then RpcPeer again with pieces swapped for cheap stand-ins (ablations, applied on both sides), to price them:
 *   signal    – AbortController/AbortSignal replaced by a plain-object version
 *   timer     – setTimeout/clearTimeout for delays ≥ 1 s (the inactivity deadline) become no-ops
 *   immediate – vscode-jsonrpc's message queue runs on a microtask instead of setImmediate
 */
import 'vscode-jsonrpc/node';
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  Disposable,
  RAL,
  createMessageConnection,
  type DataCallback,
  type Message,
  type MessageConnection,
} from 'vscode-jsonrpc';
import { RpcPeer, createPortTransport, type PortLike } from '../../kernel/rpc/index.js';
import { BenchEcho } from './echo-method.js';

export const RUNGS = ['string', 'json', 'vscode', 'frames', 'peer'] as const;
export type Rung = (typeof RUNGS)[number];
export type Ablation = 'signal' | 'timer' | 'immediate';

export const STEPS: { name: string; rung: Rung; ablate: Ablation[] }[] = [
  { name: 'string: bare echo', rung: 'string', ablate: [] },
  { name: 'json: + JSON-RPC by hand', rung: 'json', ablate: [] },
  { name: 'vscode: + vscode-jsonrpc', rung: 'vscode', ablate: [] },
  { name: 'frames: + FrameReader/Writer', rung: 'frames', ablate: [] },
  { name: 'peer: + RpcPeer', rung: 'peer', ablate: [] },
  { name: 'peer, cheap AbortSignal', rung: 'peer', ablate: ['signal'] },
  { name: 'peer, … + no deadline timer', rung: 'peer', ablate: ['signal', 'timer'] },
  { name: 'peer, … + microtask queue', rung: 'peer', ablate: ['signal', 'timer', 'immediate'] },
];

/** A plain-object AbortController, as the isolate runtime uses; no EventTarget. */
class CheapSignal {
  aborted = false;
  reason: unknown = undefined;
  onabort: ((e: unknown) => void) | null = null;
  private listeners: ((e: unknown) => void)[] = [];
  addEventListener(type: string, fn: (e: unknown) => void) {
    if (type === 'abort') this.listeners.push(fn);
  }
  removeEventListener(type: string, fn: (e: unknown) => void) {
    const i = this.listeners.indexOf(fn);
    if (type === 'abort' && i !== -1) this.listeners.splice(i, 1);
  }
  throwIfAborted() {
    if (this.aborted) throw this.reason;
  }
  fire() {
    const event = { type: 'abort', target: this };
    this.onabort?.(event);
    for (const l of this.listeners.splice(0)) l(event);
  }
}
class CheapController {
  readonly signal = new CheapSignal();
  abort(reason: unknown = new Error('aborted')) {
    if (this.signal.aborted) return;
    this.signal.aborted = true;
    this.signal.reason = reason;
    this.signal.fire();
  }
}

/** Applies ablations to this thread's globals (and vscode-jsonrpc's runtime layer); returns the undo. */
export function applyAblations(ablate: Ablation[]): () => void {
  const g = globalThis as Record<string, any>;
  const undo: (() => void)[] = [];
  if (ablate.includes('signal')) {
    const original = g.AbortController;
    g.AbortController = CheapController;
    undo.push(() => (g.AbortController = original));
  }
  if (ablate.includes('timer')) {
    const { setTimeout: set, clearTimeout: clear } = g;
    const dummy = { ref: () => dummy, unref: () => dummy, hasRef: () => false, refresh: () => dummy };
    g.setTimeout = (fn: () => void, ms?: number, ...args: unknown[]) => ((ms ?? 0) >= 1000 ? dummy : set(fn, ms, ...args));
    g.clearTimeout = (t: unknown) => (t === dummy ? undefined : clear(t));
    undo.push(() => Object.assign(g, { setTimeout: set, clearTimeout: clear }));
  }
  if (ablate.includes('immediate')) {
    const original = RAL();
    RAL.install({
      ...original,
      timer: {
        ...original.timer,
        setImmediate: (fn: (...args: any[]) => void, ...args: any[]) => {
          let live = true;
          queueMicrotask(() => live && fn(...args));
          return Disposable.create(() => (live = false));
        },
      },
    });
    undo.push(() => RAL.install(original));
  }
  return () => {
    for (const u of undo.reverse()) u();
  };
}

const PARAMS = { value: 'ping' };
const METHOD = BenchEcho.name;
const quiet = { error: () => {}, warn: () => {}, info: () => {}, log: () => {} };

class PlainReader extends AbstractMessageReader {
  constructor(private readonly port: PortLike) {
    super();
  }
  listen(callback: DataCallback): Disposable {
    this.port.on('message', (s) => callback(JSON.parse(s as string) as Message));
    return Disposable.create(() => {});
  }
}

class PlainWriter extends AbstractMessageWriter {
  constructor(private readonly port: PortLike) {
    super();
  }
  async write(message: Message): Promise<void> {
    this.port.postMessage(JSON.stringify(message));
  }
  end(): void {}
}

function connectionFor(rung: 'vscode' | 'frames', port: PortLike): MessageConnection {
  if (rung === 'vscode') return createMessageConnection(new PlainReader(port), new PlainWriter(port), quiet);
  const t = createPortTransport(port);
  return createMessageConnection(t.reader, t.writer, quiet);
}

/** The answering side of a rung. */
export function serveRung(rung: Rung, port: PortLike): void {
  switch (rung) {
    case 'string':
      port.on('message', (s) => port.postMessage(s));
      return;
    case 'json':
      port.on('message', (s) => {
        const m = JSON.parse(s as string);
        port.postMessage(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { value: m.params.value } }));
      });
      return;
    case 'vscode':
    case 'frames': {
      const c = connectionFor(rung, port);
      c.onRequest(METHOD, (p: { value: string }) => ({ value: p.value }));
      c.listen();
      return;
    }
    case 'peer': {
      const peer = new RpcPeer(createPortTransport(port), { name: 'ladder-server' });
      peer.handle(BenchEcho, ({ value }) => ({ value }));
      return;
    }
  }
}

/** The calling side of a rung: one round trip per call. */
export function clientRung(rung: Rung, port: PortLike): { call: () => Promise<unknown>; close(): void } {
  switch (rung) {
    case 'string': {
      const waiting: ((v: unknown) => void)[] = [];
      port.on('message', (s) => waiting.shift()!(s));
      const frame = JSON.stringify({ jsonrpc: '2.0', id: 1, method: METHOD, params: PARAMS });
      return { call: () => new Promise((resolve) => (waiting.push(resolve), port.postMessage(frame))), close: () => {} };
    }
    case 'json': {
      const pending = new Map<number, (v: unknown) => void>();
      let seq = 0;
      port.on('message', (s) => {
        const m = JSON.parse(s as string);
        const resolve = pending.get(m.id);
        pending.delete(m.id);
        resolve?.(m.result);
      });
      return {
        call: () =>
          new Promise((resolve) => {
            const id = ++seq;
            pending.set(id, resolve);
            port.postMessage(JSON.stringify({ jsonrpc: '2.0', id, method: METHOD, params: PARAMS }));
          }),
        close: () => {},
      };
    }
    case 'vscode':
    case 'frames': {
      const c = connectionFor(rung, port);
      c.listen();
      return { call: () => c.sendRequest(METHOD, PARAMS), close: () => c.dispose() };
    }
    case 'peer': {
      const peer = new RpcPeer(createPortTransport(port), { name: 'ladder-client' });
      return { call: () => peer.call(BenchEcho, PARAMS), close: () => peer.close() };
    }
  }
}

/** Two in-thread ports; delivery is a microtask, as in createMemoryPair. */
export function memoryPorts(): [PortLike, PortLike] {
  const listeners: ((v: unknown) => void)[][] = [[], []];
  const port = (self: 0 | 1): PortLike => ({
    postMessage: (value) => {
      const targets = listeners[self ^ 1];
      queueMicrotask(() => {
        for (const l of targets) l(value);
      });
    },
    on: (event: string, listener: (value?: unknown) => void) => {
      if (event === 'message') listeners[self].push(listener as (v: unknown) => void);
      return undefined;
    },
  });
  return [port(0), port(1)];
}
