/**
 * One marketplace operation in a dialog: first what will happen (and what to approve), then — once confirmed — the
 * server's task live until it succeeds or fails. Closing while it runs only hides it; the server finishes the task.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Button, Dialog, ErrorNotice } from '../../components/ui';
import { useMarketT } from './i18n';
import type { Task } from './model';
import { TaskProgress } from './task-progress';

type Phase = { kind: 'confirm' } | { kind: 'task'; taskId: string; finished: boolean };

export interface OperationDialogProps {
  title: string;
  open: boolean;
  onClose: () => void;
  /** The extension's name, for the outcome sentence. */
  name: string;
  confirmLabel: string;
  danger?: boolean;
  /** False while the confirmation is not possible (nothing to install, …). */
  canConfirm?: boolean;
  /** Starts the operation on the server; resolves with its task id. */
  start: () => Promise<{ task_id: string }>;
  /** Called once the task has ended, either way (the page reloads what it shows). */
  onFinished: (task: Task) => void;
  /** Closed while the task still runs: the page takes over showing it. */
  onBackground: (taskId: string) => void;
  children: ComponentChildren;
}

export function OperationDialog({ title, open, onClose, name, confirmLabel, danger, canConfirm = true, start, onFinished, onBackground, children }: OperationDialogProps) {
  const t = useMarketT();
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    setPhase({ kind: 'confirm' });
    setError(null);
  }, [open]);

  const close = () => {
    if (phase.kind === 'task' && !phase.finished) onBackground(phase.taskId);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const { task_id } = await start();
      setPhase({ kind: 'task', taskId: task_id, finished: false });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const footer =
    phase.kind === 'confirm' ? (
      <>
        <Button onClick={close}>{t('cancel')}</Button>
        <Button variant={danger ? 'danger' : 'primary'} busy={busy} disabled={!canConfirm} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
      </>
    ) : (
      <Button variant={phase.finished ? 'primary' : 'secondary'} onClick={close}>
        {phase.finished ? t('close') : t('hide')}
      </Button>
    );

  return (
    <Dialog title={title} open={open} onClose={close} footer={footer}>
      {phase.kind === 'confirm' ? (
        <>
          {children}
          {error ? <ErrorNotice error={error} /> : null}
        </>
      ) : (
        <TaskProgress
          taskId={phase.taskId}
          name={name}
          onFinished={(task) => {
            setPhase({ kind: 'task', taskId: phase.taskId, finished: true });
            onFinished(task);
          }}
        />
      )}
    </Dialog>
  );
}
