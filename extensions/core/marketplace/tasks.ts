/**
 * Install, update, rollback and uninstall run in the background as tasks the console polls: each records its step,
 * download progress, a log of steps and the error it ended with. Only the newest tasks are kept, in memory.
 */
import { randomUUID } from 'node:crypto';
import type { InstallStep, Progress } from '../../../marketplace/installer/types.js';

export const MAX_TASKS = 50;

export type TaskKind = 'install' | 'update' | 'rollback' | 'uninstall';

export interface TaskError {
  code: string;
  message: string;
  details: Record<string, unknown> | null;
}

export interface Task {
  id: string;
  kind: TaskKind;
  extension_id: string;
  version: string | null;
  state: 'running' | 'succeeded' | 'failed';
  step: InstallStep;
  message: string;
  progress: { done: number; total: number } | null;
  log: { at: string; step: InstallStep; message: string }[];
  error: TaskError | null;
  created_at: string;
  finished_at: string | null;
}

/** Any thrown value as the task's error: typed errors keep their code and details. */
export function taskError(error: unknown): TaskError {
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  const code = typeof e?.code === 'string' && /^[a-z_]+$/.test(e.code) ? e.code : 'install_failed';
  const message = error instanceof Error ? error.message : String(error);
  const details = e?.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : null;
  return { code, message, details };
}

export class TaskBoard {
  private readonly tasks = new Map<string, Task>();

  constructor(private readonly log: { info(msg: string): void; warn(msg: string): void }) {}

  /** The running task of an extension, if any: one operation per extension at a time. */
  runningFor(extensionId: string): Task | undefined {
    return [...this.tasks.values()].find((t) => t.extension_id === extensionId && t.state === 'running');
  }

  get(id: string): Task | undefined {
    return this.tasks.get(id);
  }

  /** Newest first. */
  list(): Task[] {
    return [...this.tasks.values()].reverse().slice(0, MAX_TASKS);
  }

  /** Starts `operation` in the background and answers at once with its task. */
  start(kind: TaskKind, extensionId: string, version: string | null, operation: (onProgress: Progress) => Promise<{ version: string } | void>): Task {
    const now = new Date().toISOString();
    const task: Task = {
      id: randomUUID(),
      kind,
      extension_id: extensionId,
      version,
      state: 'running',
      step: 'resolve',
      message: 'Starting.',
      progress: null,
      log: [],
      error: null,
      created_at: now,
      finished_at: null,
    };
    this.tasks.set(task.id, task);
    this.prune();
    const onProgress: Progress = (p) => {
      const sameStep = p.step === task.step;
      const counting = p.done !== undefined;
      task.step = p.step;
      task.message = p.message;
      if (p.done !== undefined && p.total !== undefined) task.progress = { done: p.done, total: p.total };
      else if (!sameStep) task.progress = null;
      // Download progress reports many times; the log keeps each step and each other message once.
      if (!sameStep || (!counting && p.message !== task.log.at(-1)?.message)) task.log.push({ at: new Date().toISOString(), step: p.step, message: p.message });
    };
    void operation(onProgress).then(
      (result) => {
        if (result?.version) task.version = result.version;
        if (task.step !== 'done') onProgress({ step: 'done', message: `${kind} of ${extensionId}${task.version ? `@${task.version}` : ''} finished.` });
        this.finish(task, 'succeeded');
        this.log.info(task.message);
      },
      (error: unknown) => {
        task.error = taskError(error);
        this.finish(task, 'failed');
        this.log.warn(`${kind} of ${extensionId} failed (${task.error.code}): ${task.error.message}`);
      },
    );
    return task;
  }

  private finish(task: Task, state: 'succeeded' | 'failed'): void {
    task.state = state;
    task.finished_at = new Date().toISOString();
    this.prune();
  }

  /** Forgets the oldest finished tasks beyond the limit (a running one is kept until it ends). */
  private prune(): void {
    for (const task of this.tasks.values()) {
      if (this.tasks.size <= MAX_TASKS) return;
      if (task.state !== 'running') this.tasks.delete(task.id);
    }
  }
}
