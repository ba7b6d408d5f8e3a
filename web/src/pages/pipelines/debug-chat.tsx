/** The debug chat: talk to a pipeline over its WebSocket, person or group session, the reply streamed in place. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Badge, Button } from '../../components/ui';
import { usePipelinesT } from './i18n';
import { LOST, useDebugChat, type ChatMessage, type ChatState, type SessionType } from './chat-socket';
import { missingModel, type PipelineConfig } from './types';

const STATE_TONE: Record<ChatState, 'good' | 'warn' | 'bad' | 'neutral'> = { connecting: 'warn', open: 'good', closed: 'neutral', error: 'bad' };

export function DebugChat({ uuid, config, dirty, onChooseModel, onSave, saving }: { uuid: string; config: PipelineConfig; dirty: boolean; onChooseModel: () => void; onSave: () => void; saving: boolean }) {
  const t = usePipelinesT();
  const [sessionType, setSessionType] = useState<SessionType>('person');
  const chat = useDebugChat(uuid, sessionType, { reconnected: t('reconnected'), noReply: t('noReply') });
  const [text, setText] = useState('');
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const input = useRef<HTMLTextAreaElement>(null);

  // Follow new messages and a growing reply, unless the user scrolled up to read.
  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [chat.messages, chat.waiting]);

  useEffect(() => {
    if (chat.state === 'open') input.current?.focus({ preventScroll: true });
  }, [chat.state]);

  const submit = () => {
    if (chat.send(text)) {
      setText('');
      stick.current = true;
    }
  };
  const prefixes = (config.trigger?.['group-respond-rules']?.prefix as string[] | undefined)?.filter(Boolean) ?? [];
  const canSend = chat.state === 'open' && text.trim() !== '';

  return (
    <section class="debug-chat stack" aria-labelledby="debug-chat-title">
      <div class="spread">
        <div>
          <h2 id="debug-chat-title">{t('tab_chat')}</h2>
          <p class="muted small">{t('chatIntro')}</p>
        </div>
        <div class="row">
          <div class="segmented" role="radiogroup" aria-label={t('session')}>
            {(['person', 'group'] as const).map((type) => (
              <label key={type} class={sessionType === type ? 'active' : undefined}>
                <input type="radio" name="debug-session" value={type} checked={sessionType === type} onChange={() => setSessionType(type)} />
                {t(type)}
              </label>
            ))}
          </div>
          <span role="status" aria-live="polite" class="chat-state" data-state={chat.state}>
            <Badge tone={STATE_TONE[chat.state]}>{t(`state_${chat.state}`)}</Badge>
          </span>
          <Button class="btn-small" onClick={chat.reconnect} disabled={chat.state === 'connecting'}>
            {chat.state === 'open' ? t('newConversation') : t('reconnect')}
          </Button>
        </div>
      </div>

      {missingModel(config) ? (
        <div class="state error chat-banner" role="alert">
          <p>{t('noModel')}</p>
          <Button class="btn-small" onClick={onChooseModel}>
            {t('chooseModel')}
          </Button>
        </div>
      ) : null}
      {dirty ? (
        <div class="chat-banner chat-banner-warn" role="status">
          <p>{t('dirtyChat')}</p>
          <Button class="btn-small" variant="primary" busy={saving} onClick={onSave}>
            {t('save')}
          </Button>
        </div>
      ) : null}
      {chat.state === 'error' || (chat.state === 'closed' && chat.reason) ? (
        <p class="field-error" role="alert">
          {chat.reason === 'Unauthorized' ? t('unauthorized') : chat.reason === LOST ? t('lost') : chat.state === 'error' ? `${t('state_error')}${chat.reason ? `: ${chat.reason}` : ''}` : t('closedBecause', { reason: chat.reason })}
        </p>
      ) : null}
      {sessionType === 'group' ? <p class="hint">{t('mentionHint')}{prefixes.length ? ` “${prefixes.join('”, “')}”` : ''}</p> : null}

      <div class="chat">
        <div
          class="chat-log"
          ref={log}
          role="log"
          aria-label={t('conversation')}
          tabIndex={0}
          onScroll={(e) => {
            const el = e.currentTarget as HTMLDivElement;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {chat.messages.length === 0 ? <p class="muted chat-empty">{t('noMessages')}</p> : null}
          {chat.messages.map((m) => (
            <Bubble key={`${m.role}-${m.id}`} message={m} />
          ))}
          {chat.waiting ? (
            <div class="bubble assistant chat-typing" role="status">
              <span class="spinner" aria-hidden="true" /> {t('typing')}
            </div>
          ) : null}
        </div>
        <form
          class="chat-input"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label for="debug-chat-input" class="sr-only">
            {t('message')}
          </label>
          <textarea
            id="debug-chat-input"
            ref={input}
            rows={1}
            value={text}
            placeholder={t('messageHint')}
            aria-describedby="debug-chat-hint"
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                submit();
              }
            }}
          />
          <span id="debug-chat-hint" class="sr-only">
            {t('messageHint')}
          </span>
          <Button type="submit" variant="primary" disabled={!canSend}>
            {t('send')}
          </Button>
        </form>
      </div>
    </section>
  );
}

function Bubble({ message }: { message: ChatMessage }) {
  const t = usePipelinesT();
  if (message.role === 'notice') return <p class="chat-notice">{message.content}</p>;
  if (message.role === 'error') return <p class="chat-notice chat-error" role="alert">{t('serverError', { message: message.content })}</p>;
  const who = message.role === 'user' ? t('you') : t('assistant');
  return (
    <div class={`bubble ${message.role}`} data-role={message.role} data-final={message.final ? 'true' : 'false'} aria-busy={message.final ? undefined : 'true'}>
      <span class="sr-only">{who}: </span>
      <span class="bubble-text">{message.content}</span>
      {!message.final ? <span class="chat-cursor" aria-label={t('streaming')} /> : null}
    </div>
  );
}
