/**
 * The load generator of `bench:http`, in a worker thread so that it does not share an event loop with the server:
 * `concurrency` keep-alive connections, each sending the next request when the previous answer is read (closed
 * loop), for a warm-up and then a measured window. An answer counts as an error unless it is a 200 whose body is the
 * API's success envelope (`{"code":0,…}`), as upstream's probes check the response shape too.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Latencies of the measured window, µs, unsorted. */
  latencies: Float64Array;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Requests answered, warm-up included. */
  total: number;
}

const job = workerData as LoadJob;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const target = new URL(job.url);

function once(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers: job.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) resolve(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
        else if (!body.startsWith('{"code":0')) resolve(`unexpected body: ${body.slice(0, 200)}`);
        else resolve(undefined);
      });
      res.on('error', (e) => resolve(e.message));
    });
    req.on('error', (e) => resolve(e.message));
    req.end();
  });
}

async function run(): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let warm = 0;
  let errors = 0;
  let firstError: string | undefined;
  const now = () => performance.now();
  const warmEnd = now() + job.warmupMs;
  // Requests started in [warmEnd, end) are measured, each lane entering the window when its warm-up request ends.
  const end = warmEnd + job.durationMs;
  let last = warmEnd;
  const lane = async () => {
    while (now() < warmEnd) {
      await once();
      warm++;
    }
    while (true) {
      const t0 = now();
      if (t0 >= end) return;
      const error = await once();
      const t1 = now();
      last = Math.max(last, t1);
      if (error) {
        errors++;
        firstError ??= error;
      }
      if (n === latencies.length) {
        const grown = new Float64Array(n * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[n++] = (t1 - t0) * 1000;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const elapsedMs = last - warmEnd;
  agent.destroy();
  return { latencies: latencies.slice(0, n), errors, firstError, elapsedMs, total: warm + n };
}

void run().then((result) => parentPort!.postMessage(result, [result.latencies.buffer as ArrayBuffer]));
