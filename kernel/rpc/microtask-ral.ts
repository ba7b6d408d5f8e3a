import { RAL } from 'vscode-jsonrpc';

/**
 * vscode-jsonrpc processes each received message in its own `setImmediate`, which costs an event-loop turn per
 * message on both sides of every round trip. Messages already sit in its queue in arrival order, so draining them
 * with microtasks keeps the order and cancellation semantics while removing those turns.
 */
export function useMicrotaskScheduling(): void {
  const base = RAL();
  if ((base.timer as { microtasks?: boolean }).microtasks) return;
  const setImmediate = (callback: (...args: any[]) => void, ...args: any[]) => {
    let cancelled = false;
    queueMicrotask(() => cancelled || callback(...args));
    return { dispose: () => void (cancelled = true) };
  };
  RAL.install({ ...base, timer: { ...base.timer, setImmediate, microtasks: true } as typeof base.timer });
}
