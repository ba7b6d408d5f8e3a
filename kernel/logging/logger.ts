import pino from 'pino';
import { RingBuffer } from './ring-buffer.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogEntry {
  time: number;
  level: LogLevel;
  ext: string;
  msg: string;
  data?: Record<string, unknown>;
}

export interface LoggingOptions {
  level?: LogLevel;
  /** Compact human lines instead of JSON (for a TTY). */
  pretty?: boolean;
  /** Defaults to stdout. */
  destination?: NodeJS.WritableStream | pino.DestinationStream;
  /** Entries kept in memory per extension. */
  ringSize?: number;
  /** pino `redact` paths; replaces DEFAULT_REDACT_PATHS. */
  redactPaths?: string[];
}

export interface Logging {
  root: pino.Logger;
  forExtension(id: string): pino.Logger;
  recent(extId: string, options?: { limit?: number; level?: LogLevel }): LogEntry[];
  /**
   * Every extension's entries merged in the order they were logged. With `after` (a `seq`), the oldest `limit`
   * entries after it; without, the newest `limit`. `cursor` is where the next call continues.
   */
  merged(options?: MergedLogQuery): MergedLogPage;
  onEntry(listener: (entry: LogEntry) => void): () => void;
}

export interface MergedLogQuery {
  after?: number;
  limit?: number;
  /** Minimum level. */
  level?: LogLevel;
  ext?: string;
}

export interface MergedLogPage {
  /** Oldest first; `seq` grows by one per line logged by anyone. */
  entries: (LogEntry & { seq: number })[];
  cursor: number;
  /** More entries after `cursor` match already. */
  has_more: boolean;
}

const SECRET_KEYS = [
  'apiKey', 'api_key', 'token', 'accessToken', 'refreshToken', 'password', 'secret', 'authorization',
];
/** Each secret key at the top level and up to two levels deep (`config.apiKey`, `config.openai.apiKey`). */
export const DEFAULT_REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

const levelValue = (level: LogLevel) => pino.levels.values[level];

function toEntry(line: string): LogEntry {
  const { level, time, ext = 'kernel', msg = '', pid: _pid, hostname: _host, ...data } = JSON.parse(line);
  const entry: LogEntry = { time, level: pino.levels.labels[level] as LogLevel, ext, msg };
  if (Object.keys(data).length > 0) entry.data = data;
  return entry;
}

function formatPretty({ time, level, ext, msg, data }: LogEntry): string {
  const extra = data ? ` ${JSON.stringify(data)}` : '';
  return `${new Date(time).toTimeString().slice(0, 8)} ${level.toUpperCase().padEnd(5)} [${ext}] ${msg}${extra}\n`;
}

/** Lines carrying an `ext` field are kept per extension; kernel lines under `kernel`. */
export function createLogging(options: LoggingOptions = {}): Logging {
  const { level = 'info', pretty = false, ringSize = 500, redactPaths = DEFAULT_REDACT_PATHS } = options;
  const destination = options.destination ?? pino.destination(1);
  // Per extension, its recent entries, each with its place in the order of all lines logged.
  const buffers = new Map<string, RingBuffer<LogEntry & { seq: number }>>();
  let lastSeq = 0;
  const listeners = new Set<(entry: LogEntry) => void>();

  // Sees every serialized, already redacted line.
  const tap = {
    write(line: string) {
      const entry = toEntry(line);
      let buffer = buffers.get(entry.ext);
      if (!buffer) buffers.set(entry.ext, (buffer = new RingBuffer(ringSize)));
      buffer.push({ seq: ++lastSeq, ...entry });
      if (pretty) destination.write(formatPretty(entry));
      for (const listener of listeners) {
        try {
          listener(entry);
        } catch {
          // A broken listener must not break logging.
        }
      }
    },
  };

  // Streams accept 'trace' so that the logger's (mutable) level is the only filter.
  const streams: pino.StreamEntry[] = [{ level: 'trace', stream: tap }];
  if (!pretty) streams.push({ level: 'trace', stream: destination });
  const root = pino({ level, redact: redactPaths }, pino.multistream(streams));

  return {
    root,
    forExtension: (id) => root.child({ ext: id }),
    recent(extId, { limit = Infinity, level: min } = {}) {
      const all = (buffers.get(extId)?.toArray() ?? []).map(({ seq: _seq, ...entry }) => entry);
      const entries = min ? all.filter((e) => levelValue(e.level) >= levelValue(min)) : all;
      return limit >= entries.length ? entries : entries.slice(entries.length - limit);
    },
    merged({ after, limit: wanted = 200, level: min, ext } = {}) {
      const limit = Math.max(1, wanted);
      // A cursor from before a restart (sequence numbers start again at 1) reads as no cursor.
      if (after !== undefined && after > lastSeq) after = undefined;
      const matching: (LogEntry & { seq: number })[] = [];
      for (const [id, buffer] of buffers) {
        if (ext !== undefined && id !== ext) continue;
        for (const entry of buffer.toArray()) {
          if ((after === undefined || entry.seq > after) && (!min || levelValue(entry.level) >= levelValue(min))) matching.push(entry);
        }
      }
      matching.sort((a, b) => a.seq - b.seq);
      if (after === undefined) return { entries: matching.slice(Math.max(0, matching.length - limit)), cursor: lastSeq, has_more: false };
      const entries = matching.slice(0, limit);
      const has_more = matching.length > limit;
      return { entries, cursor: has_more ? entries[entries.length - 1].seq : lastSeq, has_more };
    },
    onEntry(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
