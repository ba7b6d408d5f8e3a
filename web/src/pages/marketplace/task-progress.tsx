/** A running install / update / rollback / uninstall, polled until it ends: its step, bytes, log, then the outcome. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { PermissionList } from '../../components/permissions';
import { ErrorNotice } from '../../components/ui';
import { ApiError } from '../../lib/api';
import { useMarketT, type MarketKey } from './i18n';
import { formatBytes, market, type Task } from './model';

const POLL_MS = 300;

/** Polls the task every ~300 ms until it has finished; a lost connection is retried, a forgotten task is an error. */
function useTask(taskId: string, onFinished: (task: Task) => void) {
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<unknown>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const { task: next } = await market.task(taskId);
        if (stopped) return;
        setTask(next);
        setError(null);
        if (next.state !== 'running') return finished.current(next);
      } catch (e) {
        if (stopped) return;
        setError(e);
        if (e instanceof ApiError && e.status === 404) return;
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [taskId]);
  return { task, error };
}

export function TaskProgress({ taskId, name, onFinished }: { taskId: string; name: string; onFinished: (task: Task) => void }) {
  const t = useMarketT();
  const { task, error } = useTask(taskId, onFinished);
  const stepWord = (step: string) => {
    const key = `step_${step}` as MarketKey;
    const text = t(key);
    return text === key ? step : text;
  };
  const log = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [task?.log.length]);
  if (!task) return error ? <ErrorNotice error={error} /> : <p class="muted">{t('starting')}</p>;
  const progress = task.progress && task.progress.total > 0 ? task.progress : null;
  const missing = task.error?.details?.missing;
  return (
    <div class="mp-task" data-task-state={task.state}>
      {task.state === 'running' ? (
        <div class="stack" role="status" aria-live="polite">
          <p class="mp-step">
            <span class="spinner" aria-hidden="true" /> <strong>{stepWord(task.step)}</strong>
            {task.message ? <span class="muted"> — {task.message}</span> : null}
          </p>
          {progress ? (
            <div class="mp-bytes">
              <progress max={progress.total} value={progress.done} aria-label={t('downloaded')} />
              <span class="small muted">{t('bytes', { done: formatBytes(progress.done), total: formatBytes(progress.total) })}</span>
            </div>
          ) : null}
        </div>
      ) : null}
      {task.state === 'succeeded' ? (
        <div class="mp-success" role="status">
          <strong>{t(`done_${task.kind}`, { name, version: task.version ?? '' })}</strong>
        </div>
      ) : null}
      {task.state === 'failed' ? (
        <div class="state error" role="alert">
          <strong>{t(`failed_${task.kind}`, { name })}</strong>
          <p>{task.error?.message ?? task.message}</p>
          {Array.isArray(missing) && missing.length > 0 ? (
            <>
              <p>{t('missingPermissions')}</p>
              <PermissionList items={missing.map(String)} />
            </>
          ) : null}
        </div>
      ) : null}
      {error && task.state === 'running' ? <p class="hint">{t('pollTrouble')}</p> : null}
      {task.log.length > 0 ? (
        <details class="mp-log-box" open={task.state !== 'succeeded'}>
          <summary>{t('log')}</summary>
          <ol class="log-view mp-log" ref={log} aria-label={t('log')}>
            {task.log.map((entry, index) => (
              <li key={index} class="log-line">
                <span class="mp-log-step">{stepWord(entry.step)}</span> {entry.message}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
