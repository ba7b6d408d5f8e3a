export interface Deadline {
  at: number;
  readonly limitMs: number;
  readonly onExpire: () => void;
}

/**
 * Inactivity deadlines for many concurrent calls on one coarse interval timer, instead of a timer armed and
 * cleared per call and per progress report. A deadline fires at most `resolutionMs` late.
 */
export class Deadlines {
  private readonly entries = new Set<Deadline>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly resolutionMs = 20) {}

  /** Starts a deadline; a limit of 0 or less means none (returns undefined). */
  start(limitMs: number, onExpire: () => void): Deadline | undefined {
    if (!(limitMs > 0) || limitMs === Infinity) return undefined;
    const deadline = { at: Date.now() + limitMs, limitMs, onExpire };
    this.entries.add(deadline);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), Math.min(this.resolutionMs, limitMs));
      this.timer.unref?.();
    }
    return deadline;
  }

  /** Restarts the countdown: a sign of life was seen. */
  touch(deadline: Deadline | undefined): void {
    if (deadline) deadline.at = Date.now() + deadline.limitMs;
  }

  clear(deadline: Deadline | undefined): void {
    if (deadline) this.entries.delete(deadline);
  }

  private tick(): void {
    const now = Date.now();
    for (const deadline of this.entries) {
      if (deadline.at > now) continue;
      this.entries.delete(deadline);
      deadline.onExpire();
    }
    // The interval stays while calls keep coming, so back-to-back calls don't create and clear a timer each.
    if (this.entries.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

export const deadlines = new Deadlines();
