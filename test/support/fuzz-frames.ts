/** Deterministic generator of malformed and hostile JSON-RPC frames. */
export interface FuzzFrame {
  frame: string;
  /** Whether a well-behaved receiver must answer it (requests and garbage do; notifications and responses don't). */
  replies: boolean;
}

export function* malformedFrames(count: number, maxFrameBytes: number, seed = 42): Generator<FuzzFrame> {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const randomText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(rand() * 0xffff))).join('').replace(/\n/g, ' ');
  const valid = () => JSON.stringify({ jsonrpc: '2.0', id: Math.floor(rand() * 1e6), method: 'conf.echo', params: { value: randomText(8) } });
  const silent = new Set<number>();
  const kinds: Array<() => string> = [
    () => randomText(1 + Math.floor(rand() * 200)),
    () => valid().slice(0, 1 + Math.floor(rand() * 39)),
    () => JSON.stringify(pick([1, 'str', true, null, [], [1, 2], {}])),
    () => JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'conf.echo' }),
    () => JSON.stringify({ jsonrpc: '2.0', id: { nested: 1 }, method: 'conf.echo', params: {} }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 2, method: 7, params: {} }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'conf.echo', params: 'not-an-object' }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'conf.add', params: [1, 2, 3] }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'no.such.method', params: {} }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'conf.add', params: { a: 'x', b: null } }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 999_999, result: { forged: true } }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 7, error: { code: 'nan', message: 5 } }),
    () => JSON.stringify({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 'x' } }),
    () => JSON.stringify({ jsonrpc: '2.0', method: '$/progress', params: { token: 'nope', value: {} } }),
    () => JSON.stringify({ jsonrpc: '2.0', method: 'rpc.credit', params: { token: 1, n: -5 } }),
    () => JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'rpc.hello', params: { protocol: 'other', version: '9.0', capabilities: [] } }),
    () => '['.repeat(5000) + ']'.repeat(5000),
    () => '{"jsonrpc":"2.0","id":9,"method":"conf.echo","params":{"value":"' + '\\u'.repeat(3) + '"}}',
  ];
  // Responses to unknown ids and notifications get no answer, by JSON-RPC rules.
  [10, 12, 13, 14].forEach((k) => silent.add(k));
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 999) yield { frame: 'z'.repeat(maxFrameBytes + 10), replies: true };
    else {
      const k = Math.floor(rand() * kinds.length);
      yield { frame: kinds[k](), replies: !silent.has(k) };
    }
  }
}
