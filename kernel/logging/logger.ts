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
  onEntry(listener: (entry: LogEntry) => void): () => void;
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
  const buffers = new Map<string, RingBuffer<LogEntry>>();
  const listeners = new Set<(entry: LogEntry) => void>();

  // Sees every serialized, already redacted line.
  const tap = {
    write(line: string) {
      const entry = toEntry(line);
      let buffer = buffers.get(entry.ext);
      if (!buffer) buffers.set(entry.ext, (buffer = new RingBuffer(ringSize)));
      buffer.push(entry);
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
      const all = buffers.get(extId)?.toArray() ?? [];
      const entries = min ? all.filter((e) => levelValue(e.level) >= levelValue(min)) : all;
      return limit >= entries.length ? entries : entries.slice(entries.length - limit);
    },
    onEntry(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
