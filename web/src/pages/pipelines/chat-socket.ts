/**
 * The debug chat's WebSocket (`/api/v1/pipelines/<uuid>/ws/connect`): authenticates with the sign-in token in its
 * first frame, keeps the messages of the conversation, and grows a streamed reply in place (repeated `response`
 * frames with one id until `is_final`).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { session, socketUrl } from '../../lib/api';

export type SessionType = 'person' | 'group';
export type ChatState = 'connecting' | 'open' | 'closed' | 'error';

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant' | 'notice' | 'error';
  content: string;
  final: boolean;
  at: number;
}

/** How long to wait for the first piece of a reply before saying none came. */
const REPLY_TIMEOUT_MS = 60_000;
const PING_MS = 25_000;
/** The reason when the socket dropped without one (server stopped, network gone). */
export const LOST = 'lost';

type Frame = { type: string; message?: string; data?: { id?: string; content?: string; is_final?: boolean; timestamp?: number } };

export interface DebugChat {
  state: ChatState;
  /** Why the socket closed or failed, as the server said it, or LOST. */
  reason: string;
  messages: ChatMessage[];
  /** A message was sent and no reply has started yet. */
  waiting: boolean;
  send(text: string): boolean;
  reconnect(): void;
}

export function useDebugChat(uuid: string, sessionType: SessionType, notices: { reconnected: string; noReply: string }): DebugChat {
  const [state, setState] = useState<ChatState>('connecting');
  const [reason, setReason] = useState('');
  const [bySession, setBySession] = useState<Record<SessionType, ChatMessage[]>>({ person: [], group: [] });
  const [waiting, setWaiting] = useState(false);
  const [generation, setGeneration] = useState(0);
  const socket = useRef<WebSocket | null>(null);
  const waitTimer = useRef<ReturnType<typeof setTimeout>>();
  const texts = useRef(notices);
  texts.current = notices;
  const current = useRef(bySession);
  current.current = bySession;

  const push = useCallback(
    (type: SessionType, message: ChatMessage) =>
      setBySession((all) => {
        const list = all[type];
        const at = list.findIndex((m) => m.id === message.id && m.role === message.role);
        const next = at >= 0 ? list.map((m, i) => (i === at ? { ...m, ...message } : m)) : [...list, message];
        return { ...all, [type]: next };
      }),
    [],
  );
  const stopWaiting = () => {
    clearTimeout(waitTimer.current);
    setWaiting(false);
  };

  useEffect(() => {
    const ws = new WebSocket(socketUrl(`/api/v1/pipelines/${encodeURIComponent(uuid)}/ws/connect?session_type=${sessionType}`));
    socket.current = ws;
    setState('connecting');
    setReason('');
    let refusal = '';
    let connected = false;
    const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'ping' })), PING_MS);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'authenticate', token: session.token() ?? '' }));
    ws.onmessage = (event) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      const at = Date.now();
      switch (frame.type) {
        case 'connected':
          connected = true;
          setState('open');
          // A new connection is a new conversation on the server: say so below the old messages.
          if (current.current[sessionType].some((m) => m.role !== 'notice')) push(sessionType, { id: `notice-${at}`, role: 'notice', content: texts.current.reconnected, final: true, at });
          return;
        case 'user_message':
          if (frame.data?.id) push(sessionType, { id: frame.data.id, role: 'user', content: frame.data.content ?? '', final: true, at });
          return;
        case 'response':
          if (!frame.data?.id) return;
          stopWaiting();
          push(sessionType, { id: frame.data.id, role: 'assistant', content: frame.data.content ?? '', final: frame.data.is_final !== false, at });
          return;
        case 'error':
          stopWaiting();
          if (!connected) refusal = frame.message ?? '';
          push(sessionType, { id: `error-${at}-${Math.random()}`, role: 'error', content: frame.message ?? 'Error', final: true, at });
          return;
        default:
          return;
      }
    };
    ws.onclose = (event) => {
      clearInterval(ping);
      if (socket.current !== ws) return;
      stopWaiting();
      setReason(refusal || event.reason || (event.code !== 1000 && event.code !== 1005 ? LOST : ''));
      setState(connected ? 'closed' : 'error');
    };
    return () => {
      clearInterval(ping);
      clearTimeout(waitTimer.current);
      ws.onclose = null;
      ws.onmessage = null;
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'disconnect' }));
      ws.close();
    };
    // `generation` makes a new connection on reconnect.
  }, [uuid, sessionType, generation, push]);

  const send = (text: string): boolean => {
    const ws = socket.current;
    if (!ws || ws.readyState !== WebSocket.OPEN || state !== 'open' || !text.trim()) return false;
    ws.send(JSON.stringify({ type: 'message', message: [{ type: 'Plain', text }], stream: true }));
    setWaiting(true);
    clearTimeout(waitTimer.current);
    const type = sessionType;
    waitTimer.current = setTimeout(() => {
      setWaiting(false);
      const at = Date.now();
      push(type, { id: `notice-${at}`, role: 'notice', content: texts.current.noReply, final: true, at });
    }, REPLY_TIMEOUT_MS);
    return true;
  };

  return { state, reason, messages: bySession[sessionType], waiting, send, reconnect: () => setGeneration((g) => g + 1) };
}
