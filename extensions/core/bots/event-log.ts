/** The recent events of each bot, kept in memory: a ring of fixed size per bot, oldest dropped first. */
export interface LoggedEvent {
  event: Record<string, unknown>;
  received_at: string;
  handler_type: string;
  via: string;
  accepted: boolean;
}

export class EventLog {
  private readonly rings = new Map<string, LoggedEvent[]>();

  constructor(private readonly size = 100) {}

  append(botUuid: string, entry: LoggedEvent): void {
    const ring = this.rings.get(botUuid) ?? [];
    ring.push(entry);
    if (ring.length > this.size) ring.splice(0, ring.length - this.size);
    this.rings.set(botUuid, ring);
  }

  /** Newest last. */
  recent(botUuid: string, limit = this.size): LoggedEvent[] {
    const ring = this.rings.get(botUuid) ?? [];
    return limit >= ring.length ? [...ring] : ring.slice(ring.length - Math.max(0, limit));
  }

  forget(botUuid: string): void {
    this.rings.delete(botUuid);
  }
}
