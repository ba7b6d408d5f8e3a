/** One message's turn: the messages, LLM calls, tool calls and errors between its user message and the next. */
import type { ComponentChildren } from 'preact';
import { Dialog, Loaded, formatTime } from '../../components/ui';
import { useResource } from '../../lib/resource';
import { duration, nameOr, num, StatusBadge } from './format';
import { useMonT, type MonT } from './i18n';
import { monitoringApi, type MessageDetails } from './model';
import { statusLabel, userOf } from './tables';

export function MessageDetailsDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useMonT();
  const details = useResource(() => monitoringApi.details(id), [id]);
  return (
    <Dialog title={t('detailsTitle')} open onClose={onClose} wide>
      <Loaded resource={details}>{(data) => <Turn data={data} t={t} />}</Loaded>
    </Dialog>
  );
}

function Turn({ data, t }: { data: MessageDetails; t: MonT }) {
  const { message, turn } = data;
  return (
    <div class="stack mon-details" data-testid="message-details">
      <dl class="mon-facts">
        <Fact label={t('col_time')}>{formatTime(message.timestamp)}</Fact>
        <Fact label={t('col_bot')}>{nameOr(message.bot_name, message.bot_id)}</Fact>
        <Fact label={t('col_pipeline')}>{nameOr(message.pipeline_name, message.pipeline_id)}</Fact>
        <Fact label={t('col_user')}>{userOf(message)}</Fact>
        <Fact label={t('platform')}>{message.platform ?? '—'}</Fact>
        <Fact label={t('session')} wide>
          <code class="mon-break">{message.session_id ?? '—'}</code>
        </Fact>
      </dl>
      <p class="muted small">
        {turn.session_id === null
          ? t('noSession')
          : turn.end
            ? t('turn', { start: formatTime(turn.start), end: formatTime(turn.end) })
            : t('turnOpen', { start: formatTime(turn.start) })}
      </p>

      <section aria-labelledby="turn-messages">
        <h3 id="turn-messages">{t('turnMessages')}</h3>
        <ol class="mon-bubbles">
          {data.messages.map((m) => (
            <li key={m.id} class={`bubble ${m.role === 'user' ? 'user' : 'assistant'} ${m.id === message.id ? 'mon-current' : ''}`} aria-current={m.id === message.id ? 'true' : undefined}>
              <span class="mon-bubble-meta">
                {m.role === 'user' ? userOf(m) : t('role_assistant')} · {formatTime(m.timestamp)}
                {m.status && m.status !== 'success' ? <> · {statusLabel(t, m.status)}</> : null}
                {m.id === message.id ? <span class="sr-only"> ({t('opened')})</span> : null}
              </span>
              <span class="mon-bubble-text">{m.message_content}</span>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="turn-llm">
        <h3 id="turn-llm">
          {t('turnLlm')} <span class="muted">({data.llm_calls.length})</span>
        </h3>
        {data.llm_calls.length === 0 ? (
          <p class="muted">{t('none')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('col_time')}</th>
                  <th scope="col">{t('col_model')}</th>
                  <th scope="col">{t('col_tokens')}</th>
                  <th scope="col">{t('col_duration')}</th>
                  <th scope="col">{t('col_status')}</th>
                </tr>
              </thead>
              <tbody>
                {data.llm_calls.map((c) => (
                  <tr key={c.id}>
                    <td class="mon-nowrap">{formatTime(c.timestamp)}</td>
                    <td>
                      <code>{c.model_name}</code>
                    </td>
                    <td class="mon-num">
                      {num(c.input_tokens)} / {num(c.output_tokens)}
                    </td>
                    <td class="mon-num">{duration(c.duration)}</td>
                    <td>
                      <StatusBadge status={c.status} label={statusLabel(t, c.status)} />
                      {c.error_message ? <p class="field-error">{c.error_message}</p> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="turn-tools">
        <h3 id="turn-tools">
          {t('turnTools')} <span class="muted">({data.tool_calls.length})</span>
        </h3>
        {data.tool_calls.length === 0 ? (
          <p class="muted">{t('none')}</p>
        ) : (
          <ul class="mon-calls">
            {data.tool_calls.map((c) => (
              <li key={c.id} class="mon-call">
                <div class="row">
                  <code>{c.tool_name}</code>
                  {c.tool_source ? <span class="muted small">{c.tool_source}</span> : null}
                  <StatusBadge status={c.status} label={statusLabel(t, c.status)} />
                  <span class="muted small">{duration(c.duration)}</span>
                </div>
                <Payload label={t('col_arguments')} text={c.arguments} />
                <Payload label={t('col_result')} text={c.error_message || c.result} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="turn-errors">
        <h3 id="turn-errors">
          {t('turnErrors')} <span class="muted">({data.errors.length})</span>
        </h3>
        {data.errors.length === 0 ? (
          <p class="muted">{t('none')}</p>
        ) : (
          <ul class="mon-calls">
            {data.errors.map((e) => (
              <li key={e.id} class="mon-call mon-error">
                <div class="row">
                  <code>{e.error_type}</code>
                  <span class="muted small">{formatTime(e.timestamp)}</span>
                </div>
                <p>{e.error_message}</p>
                {e.stack_trace ? (
                  <details>
                    <summary>{t('stack')}</summary>
                    <pre>{e.stack_trace}</pre>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function Fact({ label, children, wide }: { label: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <div class={wide ? 'mon-fact-wide' : undefined}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Tool arguments and results are JSON text most of the time: shown indented when they parse. */
function Payload({ label, text }: { label: string; text: string | null }) {
  if (!text) return null;
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // plain text
  }
  return (
    <div class="mon-payload">
      <span class="muted small">{label}</span>
      <pre>{shown}</pre>
    </div>
  );
}
