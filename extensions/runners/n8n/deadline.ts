/**
 * One request's abort signal: fired when the caller cancels the run, or when the other side stays silent for
 * longer than the timeout. Every byte received pushes the deadline back, so a long answer that keeps streaming
 * is never cut.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  private expiredFlag = false;

  constructor(
    readonly ms: number,
    cancel?: AbortSignal,
  ) {
    if (cancel?.aborted) this.controller.abort();
    else cancel?.addEventListener('abort', () => this.controller.abort(), { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the request was given up because of the timeout (not cancelled by the caller). */
  get expired(): boolean {
    return this.expiredFlag;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.expiredFlag = true;
      this.controller.abort();
    }, this.ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
