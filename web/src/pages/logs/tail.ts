/**
 * Tails the process log: the newest lines first, then every `ms` only what came after the last cursor. Changing
 * the level or extension starts over (the server filters); pausing stops the polling but keeps what is shown.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../../lib/api';
import { useInterval } from '../../lib/resource';

export interface LogLine {
  seq: number;
  time: number;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  ext: string;
  msg: string;
  data?: Record<string, unknown>;
}

interface Page {
  logs: LogLine[];
  cursor: number;
  has_more: boolean;
}

/** Lines kept in the page at most; older ones drop off the top. */
export const MAX_LINES = 2000;
/** Catch-up requests in one tick when more than a page is waiting. */
const MAX_CATCH_UP = 5;

export function useLogTail({ level, extension, paused, ms = 2000 }: { level: string; extension: string; paused: boolean; ms?: number }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [loaded, setLoaded] = useState(false);
  const cursor = useRef<number | undefined>(undefined);
  const busy = useRef(false);
  // Answers of an earlier filter arriving late are dropped.
  const generation = useRef(0);

  const fetchPage = (after?: number) => api.get<Page>(`/api/v1/logs${query({ after, limit: after === undefined ? 500 : 1000, level: level === 'trace' ? undefined : level, extension: extension || undefined })}`);

  const poll = async () => {
    if (busy.current) return;
    busy.current = true;
    const mine = generation.current;
    try {
      let fresh: LogLine[] = [];
      for (let round = 0; round < MAX_CATCH_UP; round++) {
        const page = await fetchPage(cursor.current);
        if (mine !== generation.current) return;
        const known = cursor.current;
        cursor.current = page.cursor;
        // Sequence numbers restart with the kernel: then the server answers its newest lines, all of them new to us.
        const restarted = known !== undefined && page.cursor < known;
        fresh = fresh.concat(known === undefined || restarted ? page.logs : page.logs.filter((l) => l.seq > known));
        if (!page.has_more) break;
      }
      setError(undefined);
      setLoaded(true);
      if (fresh.length > 0) setLines((old) => old.concat(fresh).slice(-MAX_LINES));
    } catch (e) {
      if (mine === generation.current) setError(e as Error);
    } finally {
      if (mine === generation.current) busy.current = false;
    }
  };

  useEffect(() => {
    generation.current++;
    busy.current = false;
    cursor.current = undefined;
    setLines([]);
    setLoaded(false);
    void poll();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [level, extension]);

  useInterval(() => {
    if (!paused) void poll();
  }, ms);

  return { lines, error, loaded, clear: () => setLines([]), retry: () => void poll() };
}
