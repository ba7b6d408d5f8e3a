/** Bare transports: no JSON-RPC, no validation, just a small JSON string sent and echoed back. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { WebSocket, WebSocketServer } from 'ws';
import { FifoEcho, type Call } from './measure.js';

export interface Target {
  call: Call;
  close(): Promise<void>;
  note?: string;
}

/** About the size of the JSON-RPC request a host sends for `echo({ value: 'ping' })`. */
export const FRAME = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'ext.invoke',
  params: { point: 'tools', id: 'conformance', method: 'echo', args: { value: 'ping' }, _meta: { progressToken: '12345.1:1' } },
});

async function checked(target: Target): Promise<Target> {
  const echoed = await target.call();
  if (echoed !== FRAME) {
    await target.close();
    throw new Error(`echo returned ${JSON.stringify(echoed).slice(0, 80)}`);
  }
  return target;
}

/** (a) main thread ⇄ worker thread, the way the worker host talks: `worker.postMessage` / `parentPort`. */
export async function rawMessagePort(): Promise<Target> {
  const worker = new Worker(
    "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));",
    { eval: true, env: {}, execArgv: [] },
  );
  const fifo = new FifoEcho();
  worker.on('message', (m: string) => fifo.settle(m));
  await once(worker, 'online');
  return checked({
    call: () => {
      const p = fifo.expect();
      worker.postMessage(FRAME);
      return p;
    },
    close: async () => void (await worker.terminate()),
  });
}

/** The child splits stdin into lines and writes each back with a newline, as a stdio peer frames its output. */
const LINE_ECHO = `
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) process.stdout.write(line + '\\n');
});
process.stdin.on('end', () => process.exit(0));
`;

/** (b) parent ⇄ child Node process over stdin/stdout, newline-delimited. */
export async function rawStdio(): Promise<Target> {
  const child = spawn(process.execPath, ['-e', LINE_ECHO], { stdio: ['pipe', 'pipe', 'inherit'], env: {} });
  const fifo = new FifoEcho();
  let rest = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const line of lines) fifo.settle(line);
  });
  await once(child, 'spawn');
  const exited = once(child, 'exit');
  return checked({
    call: () => {
      const p = fifo.expect();
      child.stdin!.write(FRAME + '\n');
      return p;
    },
    close: async () => {
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(t);
    },
  });
}

/** (c) WebSocket on 127.0.0.1 with both ends in this process (like the RpcPeer-over-WebSocket row). */
export async function rawWebSocket(): Promise<Target> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  server.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(isBinary ? data : data.toString())));
  const { port } = server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await once(client, 'open');
  const fifo = new FifoEcho();
  client.on('message', (data) => fifo.settle(data.toString()));
  return checked({
    call: () => {
      const p = fifo.expect();
      client.send(FRAME);
      return p;
    },
    close: async () => {
      for (const c of server.clients) c.terminate();
      client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/**
 * (d) The isolate host's bridge itself (kernel/hosts/isolate-bridge.ts): each delivery is one async
 * `Reference.apply` with copied arguments into the isolate's dispatcher, which answers through a fire-and-forget
 * `ivm.Callback`. The "extension" here is a dispatcher that sends every frame straight back.
 */
export async function rawIsolateBridge(): Promise<Target> {
  const { default: ivm } = await import('isolated-vm');
  const { createIsolateLink } = await import('../../kernel/hosts/isolate-bridge.js');
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  const fifo = new FifoEcho();
  const link = createIsolateLink(isolate, {
    name: 'bench',
    maxFrameBytes: 256 * 1024,
    cpuTimeMs: 1000,
    memoryMb: 64,
    onFrame: (frame) => fifo.settle(frame),
    onOutput: (text) => console.error(`[isolate] ${text}`),
    onFatal: (reason) => console.error(`[isolate] fatal: ${reason}`),
  });
  const script = `const b = globalThis.__langbotBridge; delete globalThis.__langbotBridge;
b.dispatch = (events) => { for (const e of events) if (e[0] === 'f') b.send(e[1]); };`;
  await link.load(script, '/bench/isolate-echo.js');
  return checked({
    call: () => {
      const p = fifo.expect();
      link.deliver(['f', FRAME]);
      return p;
    },
    close: async () => {
      link.close();
      isolate.dispose();
    },
  });
}

/** Reference point only: the cheapest possible isolate hop, a synchronous call that returns the string. */
export async function rawIsolateSync(): Promise<Target> {
  const { default: ivm } = await import('isolated-vm');
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  const context = await isolate.createContext();
  const fn: import('isolated-vm').Reference<(s: string) => string> = await context.eval('(s) => s', { reference: true });
  return checked({
    call: async () => fn.applySync(undefined, [FRAME], { arguments: { copy: true }, result: { copy: true } }),
    close: async () => {
      fn.release();
      context.release();
      isolate.dispose();
    },
    note: 'applySync, not the host mechanism',
  });
}
