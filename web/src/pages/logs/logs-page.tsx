/**
 * `#/logs`: the process log, tailed live. Level and extension are filtered by the server, the search box in the
 * page. The view follows new lines while it is scrolled to the bottom and stops when the reader scrolls up.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Button, Card, PageHeader } from '../../components/ui';
import { api } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { useLogsT } from './i18n';
import { useLogTail, type LogLine } from './tail';
import './logs.css';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
/** How close to the bottom (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 24;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
function clock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A line's fields as `key=value` pairs (values quoted when they contain spaces), shortened when long. */
function dataText(data: LogLine['data']): string {
  if (!data) return '';
  const text = Object.entries(data)
    .map(([key, value]) => `${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`)
    .join(' ');
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

export function LogsPage() {
  const t = useLogsT();
  const l = useLocalized();
  const [level, setLevel] = useState<string>('trace');
  const [extension, setExtension] = useState('');
  const [search, setSearch] = useState('');
  const [paused, setPaused] = useState(false);
  const [follow, setFollow] = useState(true);
  const tail = useLogTail({ level, extension, paused });
  const extensions = useResource(() => api.get<{ extensions: Array<{ id: string; display_name: unknown }> }>('/api/v1/extensions').then((d) => d.extensions), []);

  const needle = search.trim().toLowerCase();
  const shown = needle ? tail.lines.filter((line) => `${line.ext} ${line.msg} ${dataText(line.data)}`.toLowerCase().includes(needle)) : tail.lines;

  const view = useRef<HTMLDivElement>(null);
  const lastSeq = tail.lines.at(-1)?.seq;
  useLayoutEffect(() => {
    if (follow && view.current) view.current.scrollTop = view.current.scrollHeight;
  }, [follow, lastSeq, shown.length]);
  const onScroll = () => {
    const el = view.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK);
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <>
            <Button variant={paused ? 'primary' : 'secondary'} aria-pressed={paused} onClick={() => setPaused(!paused)}>
              {paused ? `▶ ${t('resume')}` : `❚❚ ${t('pause')}`}
            </Button>
            <Button onClick={tail.clear}>{t('clear')}</Button>
          </>
        }
      />
      <Card>
        <div class="logs-tools" role="search">
          <div class="field">
            <label for="logs-level">{t('level')}</label>
            <select id="logs-level" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
              {LEVELS.map((lv) => (
                <option key={lv} value={lv}>
                  {t(`lvl_${lv}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="logs-extension">{t('extension')}</label>
            <select id="logs-extension" value={extension} onChange={(e) => setExtension((e.target as HTMLSelectElement).value)}>
              <option value="">{t('allExtensions')}</option>
              <option value="kernel">{t('kernel')}</option>
              {(extensions.data ?? []).map((e) => (
                <option key={e.id} value={e.id}>
                  {l(e.display_name) || e.id} ({e.id})
                </option>
              ))}
            </select>
          </div>
          <div class="field logs-search">
            <label for="logs-search">{t('search')}</label>
            <input id="logs-search" type="search" value={search} placeholder={t('searchPlaceholder')} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
          </div>
        </div>
        <div class="spread logs-status">
          <p class="muted small">
            <span class={paused ? 'logs-led' : 'logs-led live'} aria-hidden="true" /> <span role="status">{paused ? t('paused') : t('live')}</span>{' '}
            {needle ? t('count', { shown: shown.length, total: tail.lines.length }) : t('countAll', { total: tail.lines.length })}
          </p>
          {!follow ? (
            <button type="button" class="btn btn-small" onClick={() => setFollow(true)}>
              ↓ {t('latest')}
            </button>
          ) : null}
        </div>
        {tail.error ? (
          <p class="logs-error" role="alert">
            {t('reconnecting')} ({tail.error.message})
          </p>
        ) : null}
        <div class="log-view logs-view" ref={view} onScroll={onScroll} role="log" aria-label={t('logLabel')} tabIndex={0}>
          {shown.length === 0 ? (
            <p class="logs-empty">{tail.loaded ? (needle && tail.lines.length > 0 ? t('noMatch') : t('empty')) : '…'}</p>
          ) : (
            shown.map((line) => <Line key={line.seq} line={line} needle={needle} />)
          )}
        </div>
      </Card>
    </>
  );
}

function Line({ line, needle }: { line: LogLine; needle: string }) {
  const data = dataText(line.data);
  return (
    <div class={`log-line log-${line.level}`} data-seq={line.seq}>
      <span class="logs-time">{clock(line.time)}</span> <span class="logs-level">{line.level.toUpperCase().padEnd(5)}</span>{' '}
      <span class="logs-ext">[{line.ext}]</span> <Marked text={line.msg} needle={needle} />
      {data ? (
        <span class="logs-data">
          {' '}
          <Marked text={data} needle={needle} />
        </span>
      ) : null}
    </div>
  );
}

/** The text with each occurrence of the search marked. */
function Marked({ text, needle }: { text: string; needle: string }) {
  if (!needle) return <>{text}</>;
  const lower = text.toLowerCase();
  const parts = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    parts.push(text.slice(from, at), <mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  parts.push(text.slice(from));
  return <>{parts}</>;
}
