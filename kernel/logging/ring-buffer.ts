/** Fixed-capacity FIFO: pushing onto a full buffer evicts the oldest item. */
export class RingBuffer<T> {
  private readonly items: T[] = [];

  constructor(readonly capacity: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.shift();
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items];
  }
}
