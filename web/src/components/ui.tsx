/** The console's building blocks: buttons, cards, dialogs, notices and the loading / error / empty states. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import type { Resource } from '../lib/resource';
import { useUiT } from './ui-i18n';

type ButtonProps = JSX.HTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; busy?: boolean; disabled?: boolean; type?: 'button' | 'submit' };

export function Button({ variant = 'secondary', busy, disabled, type = 'button', class: cls, children, ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} class={`btn btn-${variant} ${cls ?? ''}`} disabled={disabled || busy} aria-busy={busy ? 'true' : undefined}>
      {busy ? <span class="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p class="muted">{description}</p> : null}
      </div>
      {actions ? <div class="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Card({ title, actions, children, class: cls, ...rest }: { title?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren; class?: string } & JSX.HTMLAttributes<HTMLElement>) {
  return (
    <section class={`card ${cls ?? ''}`} {...rest}>
      {title || actions ? (
        <div class="card-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export function Loading({ label }: { label?: string }) {
  const t = useUiT();
  return (
    <div class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label ?? t('loading')}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useUiT();
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div class="state error" role="alert">
      <strong>{t('errorTitle')}</strong>
      <p>{message}</p>
      {requestId ? <p class="muted small">{t('requestId', { id: requestId })}</p> : null}
      {onRetry ? <Button onClick={onRetry}>{t('retry')}</Button> : null}
    </div>
  );
}

export function Empty({ children }: { children?: ComponentChildren }) {
  const t = useUiT();
  return <div class="state empty">{children ?? t('empty')}</div>;
}

/** Renders a resource: the loading state first, the error with a retry, then `children(data)`. */
export function Loaded<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ComponentChildren }) {
  if (resource.data === undefined && resource.error) return <ErrorNotice error={resource.error} onRetry={() => void resource.reload()} />;
  if (resource.data === undefined) return <Loading />;
  return (
    <>
      {resource.error ? <ErrorNotice error={resource.error} onRetry={() => void resource.reload()} /> : null}
      {children(resource.data)}
    </>
  );
}

export function Badge({ tone = 'neutral', children, title }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A modal dialog on the native <dialog>: focus moves in, Escape closes, focus returns to the opener. */
export function Dialog({ title, open, onClose, children, footer, wide }: { title: string; open: boolean; onClose: () => void; children: ComponentChildren; footer?: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const t = useUiT();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class={`dialog ${wide ? 'dialog-wide' : ''}`} onClose={onClose} onCancel={(e) => { e.preventDefault(); onClose(); }} aria-label={title}>
      {open ? (
        <>
          <div class="dialog-head">
            <h2>{title}</h2>
            <button type="button" class="icon-btn" onClick={onClose} aria-label={t('close')}>
              ×
            </button>
          </div>
          <div class="dialog-body">{children}</div>
          {footer ? <div class="dialog-foot">{footer}</div> : null}
        </>
      ) : null}
    </dialog>
  );
}

/** A button that asks before doing something destructive. */
export function ConfirmButton({ label, question, onConfirm, variant = 'danger', ...rest }: { label: string; question: string; onConfirm: () => Promise<unknown> | void; variant?: 'danger' | 'secondary' } & JSX.HTMLAttributes<HTMLButtonElement>) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const t = useUiT();
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)} {...rest}>
        {label}
      </Button>
      <Dialog
        title={label}
        open={open}
        onClose={() => setOpen(false)}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>{t('cancel')}</Button>
            <Button
              variant={variant === 'danger' ? 'danger' : 'primary'}
              busy={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await onConfirm();
                  setOpen(false);
                } catch (error) {
                  toast.error(error);
                } finally {
                  setBusy(false);
                }
              }}
            >
              {t('confirm')}
            </Button>
          </>
        }
      >
        <p>{question}</p>
      </Dialog>
    </>
  );
}

interface ToastItem {
  id: number;
  tone: 'good' | 'bad';
  text: string;
}
let toastSeq = 0;
const toastListeners = new Set<(items: ToastItem[]) => void>();
let toasts: ToastItem[] = [];
function pushToast(tone: ToastItem['tone'], text: string) {
  const item = { id: ++toastSeq, tone, text };
  toasts = [...toasts, item];
  toastListeners.forEach((l) => l(toasts));
  setTimeout(() => dismissToast(item.id), tone === 'bad' ? 8000 : 3000);
}
function dismissToast(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  toastListeners.forEach((l) => l(toasts));
}

/** Short notices after an action: `toast.ok('Saved')`, `toast.error(error)`. */
export const toast = {
  ok: (text: string) => pushToast('good', text),
  error: (error: unknown) => pushToast('bad', error instanceof Error ? error.message : String(error)),
};

export function Toasts() {
  const [items, setItems] = useState<ToastItem[]>(toasts);
  const t = useUiT();
  useEffect(() => {
    toastListeners.add(setItems);
    return () => void toastListeners.delete(setItems);
  }, []);
  return (
    <div class="toasts" aria-live="polite">
      {items.map((item) => (
        <div key={item.id} class={`toast toast-${item.tone}`} role={item.tone === 'bad' ? 'alert' : 'status'}>
          <span>{item.text}</span>
          <button type="button" class="icon-btn" onClick={() => dismissToast(item.id)} aria-label={t('dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** Tabs with arrow-key navigation (WAI-ARIA tabs pattern). */
export function Tabs({ tabs, active, onChange, label }: { tabs: Array<{ id: string; label: string }>; active: string; onChange: (id: string) => void; label: string }) {
  const move = (event: KeyboardEvent, index: number) => {
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : -2;
    if (next === -2) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    onChange(target.id);
    (document.getElementById(`tab-${target.id}`) as HTMLElement | null)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, index) => (
        <button
          key={tab.id}
          id={`tab-${tab.id}`}
          type="button"
          role="tab"
          aria-selected={tab.id === active}
          tabIndex={tab.id === active ? 0 : -1}
          class={tab.id === active ? 'tab active' : 'tab'}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => move(e, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

export function formatTime(value: string | number | undefined | null): string {
  if (value === undefined || value === null || value === '') return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}
