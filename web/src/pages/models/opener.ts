/** Dialogs that unmount on close: focus goes back to the control that opened them, for keyboard users. */
import { useRef } from 'preact/hooks';

export function useOpener() {
  const opener = useRef<HTMLElement | null>(null);
  return {
    remember: () => {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    },
    restore: () => {
      const el = opener.current;
      opener.current = null;
      setTimeout(() => el?.isConnected && el.focus(), 0);
    },
  };
}
