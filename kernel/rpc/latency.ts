/** Fixed-size window of recent round-trip times, for health reporting (p50/p99) without unbounded memory. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(size = 1024) {
    this.samples = new Float64Array(size);
  }

  record(ms: number): void {
    this.samples[this.count++ % this.samples.length] = ms;
  }

  get size(): number {
    return Math.min(this.count, this.samples.length);
  }

  percentile(p: number): number | undefined {
    const n = this.size;
    if (n === 0) return undefined;
    const sorted = Array.from(this.samples.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.min(n - 1, Math.floor((p / 100) * n))];
  }
}
