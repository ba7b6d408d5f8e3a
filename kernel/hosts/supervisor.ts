import { RpcError, RpcErrorCode } from '../rpc/errors.js';
import type { CallOptions } from '../rpc/peer.js';
import type { ExtensionConnection } from './connection.js';
import type { Invocation, KernelApi, ProvidedEntry } from './runtime-core.js';
import type { Host, LaunchSpec, RunningExtension } from './types.js';

export interface SupervisorPolicy {
  /** How often a running extension is pinged; a missed answer within `hangTimeoutMs` means it is stuck. */
  pingIntervalMs: number;
  hangTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** More than `crashLoopMax` crashes within `crashLoopWindowMs` stops restarting. */
  crashLoopMax: number;
  crashLoopWindowMs: number;
}

export const DEFAULT_POLICY: SupervisorPolicy = {
  pingIntervalMs: 250,
  hangTimeoutMs: 750,
  backoffInitialMs: 100,
  backoffMaxMs: 30_000,
  crashLoopMax: 5,
  crashLoopWindowMs: 60_000,
};

export type SupervisedState = 'starting' | 'running' | 'restarting' | 'crash-loop' | 'stopped';

export interface Health {
  state: SupervisedState;
  restarts: number;
  lastError?: string;
  startedAt?: number;
  rpcP50Ms?: number;
  rpcP99Ms?: number;
  memoryBytes?: number;
}

/**
 * Keeps one extension running under its host: health checks, restart with exponential backoff, and a crash-loop
 * breaker. Calls made while it restarts wait for it (bounded by their own deadline) instead of failing at once.
 */
export class Supervisor {
  private running: RunningExtension | undefined;
  private ready: Promise<ExtensionConnection> | undefined;
  private state: SupervisedState = 'stopped';
  private restarts = 0;
  private crashes: number[] = [];
  private lastError: string | undefined;
  private startedAt: number | undefined;
  private memoryBytes: number | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private hung = false;

  constructor(
    private readonly host: Host,
    private readonly spec: LaunchSpec,
    private readonly kernel: KernelApi,
    private readonly activation: { config: Record<string, unknown>; verify(provided: ProvidedEntry[]): void },
    private readonly events: { onStateChange?(health: Health): void } = {},
    private readonly policy: SupervisorPolicy = DEFAULT_POLICY,
  ) {}

  /** Starts the extension; rejects if the first start fails (the caller decides what that means). */
  start(): Promise<ExtensionConnection> {
    this.stopping = false;
    this.ready = this.launch();
    return this.ready;
  }

  async invoke(invocation: Invocation, options?: CallOptions): Promise<unknown> {
    return (await this.connection()).invoke(invocation, options);
  }

  async *stream(invocation: Invocation, options?: CallOptions): AsyncGenerator<unknown> {
    yield* (await this.connection()).stream(invocation, options);
  }

  health(): Health {
    const latency = this.running?.connection.latency;
    return {
      state: this.state,
      restarts: this.restarts,
      lastError: this.lastError,
      startedAt: this.startedAt,
      rpcP50Ms: latency?.percentile(50),
      rpcP99Ms: latency?.percentile(99),
      memoryBytes: this.memoryBytes,
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.pingTimer);
    const running = this.running;
    this.running = undefined;
    this.ready = undefined;
    if (running) {
      await running.connection.deactivate(2000).catch(() => {});
      running.kill();
      await running.exited;
    }
    this.setState('stopped');
  }

  private async connection(): Promise<ExtensionConnection> {
    if (this.state === 'crash-loop' || this.state === 'stopped' || !this.ready) {
      throw new RpcError(RpcErrorCode.Unavailable, `Extension '${this.spec.id}' is not running${this.lastError ? `: ${this.lastError}` : '.'}`, {
        extension: this.spec.id,
        state: this.state,
      });
    }
    return this.ready;
  }

  private async launch(): Promise<ExtensionConnection> {
    this.setState(this.restarts > 0 ? 'restarting' : 'starting');
    let running: RunningExtension | undefined;
    try {
      running = await this.host.launch(this.spec, this.kernel);
      const { provided } = await running.connection.activate({ id: this.spec.id, version: this.spec.version, dataDir: this.spec.dataDir, config: this.activation.config });
      this.activation.verify(provided);
    } catch (error) {
      running?.kill();
      this.lastError = (error as Error).message;
      throw error;
    }
    if (this.stopping) {
      running.kill();
      throw new RpcError(RpcErrorCode.Unavailable, `Extension '${this.spec.id}' was stopped while starting.`);
    }
    this.running = running;
    this.startedAt = Date.now();
    running.exited.then((exit) => this.onExit(running!, exit.reason));
    this.watch(running);
    this.setState('running');
    return running.connection;
  }

  private watch(running: RunningExtension): void {
    clearInterval(this.pingTimer);
    let inFlight = false;
    this.pingTimer = setInterval(() => {
      if (inFlight || this.running !== running) return;
      inFlight = true;
      running.connection
        .ping(this.policy.hangTimeoutMs)
        .then(() => running.connection.stats().then((s) => (this.memoryBytes = s.rssBytes ?? s.heapUsedBytes)).catch(() => {}))
        .catch((error) => {
          if (this.running !== running) return;
          const killAsHung = () => {
            if (this.running !== running) return;
            this.hung = true;
            this.lastError = `did not answer a health check within ${this.policy.hangTimeoutMs} ms (hung); killed`;
            running.kill();
          };
          // A closed connection usually means the extension is exiting, and its exit reports the real reason; only
          // if it has not exited after another deadline is it treated as hung.
          if (RpcError.is(error, RpcErrorCode.ConnectionClosed)) setTimeout(killAsHung, this.policy.hangTimeoutMs).unref();
          else killAsHung();
        })
        .finally(() => (inFlight = false));
    }, this.policy.pingIntervalMs);
    this.pingTimer.unref();
  }

  private onExit(running: RunningExtension, reason: string): void {
    if (this.running !== running || this.stopping) return;
    clearInterval(this.pingTimer);
    this.running = undefined;
    if (!this.hung) this.lastError = reason;
    this.hung = false;
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < this.policy.crashLoopWindowMs), now];
    if (this.crashes.length > this.policy.crashLoopMax) {
      this.ready = undefined;
      this.lastError = `crash loop: ${this.crashes.length} crashes within ${this.policy.crashLoopWindowMs / 1000} s (last: ${this.lastError})`;
      this.setState('crash-loop');
      return;
    }
    const delay = Math.min(this.policy.backoffMaxMs, this.policy.backoffInitialMs * 2 ** (this.crashes.length - 1));
    this.setState('restarting');
    // Calls arriving meanwhile wait on this promise rather than failing.
    const ready = new Promise<ExtensionConnection>((resolve, reject) => {
      this.restartTimer = setTimeout(() => {
        this.restarts++;
        this.launch().then(resolve, (error) => {
          if (this.stopping) return reject(error);
          this.scheduleRestart();
          if (this.ready) this.ready.then(resolve, reject);
          else reject(new RpcError(RpcErrorCode.Unavailable, `Extension '${this.spec.id}' is not running: ${this.lastError}`));
        });
      }, delay);
    });
    ready.catch(() => {});
    this.ready = ready;
  }

  private setState(state: SupervisedState): void {
    this.state = state;
    this.events.onStateChange?.(this.health());
  }
}
