/**
 * The event-rules editor: which handler takes which event. Rules are edited as a draft (add, remove, reorder, change)
 * and saved together; the server checks each rule against its handler's config form and names the rule it refuses.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { DynamicForm, withDefaults } from '../../components/form';
import { Button, Card, ErrorNotice, Loaded, toast } from '../../components/ui';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { botsApi, type Adapter, type Bot, type EventRule } from './api';
import { ANY_EVENT, EVENT_PATTERN, ruleFor, useEventNames, type EventGroup } from './events';
import { handlerForm, loadHandlerCatalog, type HandlerCatalog } from './handlers';
import { useBotsT } from './i18n';

interface DraftRule extends EventRule {
  /** Stable across reordering, so each rule keeps its inputs' state. */
  key: number;
}

/** Which rule the server refused, from its message (`event_handlers[2]…` or `…: /2/event_type: …`). */
function refusedIndex(error: unknown): number | undefined {
  const text = error instanceof Error ? error.message : '';
  const found = /event_handlers\[(\d+)\]/.exec(text) ?? /event_handlers: \/(\d+)\//.exec(text);
  return found ? Number(found[1]) : undefined;
}

const strip = (rules: DraftRule[]): EventRule[] => rules.map(({ key: _key, ...rule }) => rule);

export function RulesTab({ bot, adapter, onSaved }: { bot: Bot; adapter?: Adapter; onSaved: () => Promise<void> }) {
  const catalog = useResource(loadHandlerCatalog, []);
  return <Loaded resource={catalog}>{(data) => <RulesEditor bot={bot} adapter={adapter} catalog={data} onSaved={onSaved} />}</Loaded>;
}

function RulesEditor({ bot, adapter, catalog, onSaved }: { bot: Bot; adapter?: Adapter; catalog: HandlerCatalog; onSaved: () => Promise<void> }) {
  const t = useBotsT();
  const names = useEventNames();
  const seq = useRef(0);
  const withKeys = (rules: EventRule[]): DraftRule[] => rules.map((rule) => ({ ...rule, key: ++seq.current }));
  const [rules, setRules] = useState<DraftRule[]>(() => withKeys(bot.event_handlers));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const supported = adapter?.supported_events ?? [];
  const groups = names.groups(supported);
  const dirty = JSON.stringify(strip(rules)) !== JSON.stringify(bot.event_handlers);
  const badIndex = refusedIndex(error);
  const defaultLabel = (() => {
    const fallback = catalog.pipelines.find((p) => p.is_default);
    return fallback ? t('defaultPipelineNamed', { name: fallback.name }) : t('defaultPipeline');
  })();

  const update = (key: number, next: DraftRule) => setRules(rules.map((r) => (r.key === key ? next : r)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rules];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    setRules(next);
  };
  const add = () => {
    const handler = catalog.kinds.find((k) => k.type === 'pipeline') ?? catalog.kinds[0];
    const event = supported.includes('message.received') ? 'message.received' : (supported[0] ?? ANY_EVENT);
    const form = handlerForm(handler, catalog, {}, defaultLabel);
    setRules([...rules, { key: ++seq.current, event_type: event, handler_type: handler?.type ?? 'plugin', handler_config: form ? withDefaults(form, {}) : {}, enabled: true, priority: 0, description: '' }]);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await botsApi.update(bot.uuid, { event_handlers: strip(rules) });
      toast.ok(t('rulesSaved'));
      await onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="rules-layout">
      <form class="stack" onSubmit={save} aria-labelledby="rules-title" data-testid="rules-form" noValidate>
        <div class="card">
          <h2 id="rules-title">{t('rulesTitle')}</h2>
          <p class="muted">{t('rulesIntro')}</p>
        </div>
        {rules.length === 0 ? <div class="state empty">{t('noRules')}</div> : null}
        <ol class="rule-list">
          {rules.map((rule, index) => (
            <RuleEditor
              key={rule.key}
              rule={rule}
              index={index}
              count={rules.length}
              groups={groups}
              catalog={catalog}
              defaultLabel={defaultLabel}
              refused={badIndex === index ? error : undefined}
              onChange={(next) => update(rule.key, next)}
              onMove={(by) => move(index, by)}
              onRemove={() => setRules(rules.filter((r) => r.key !== rule.key))}
            />
          ))}
        </ol>
        <div>
          <Button onClick={add}>+ {t('addRule')}</Button>
        </div>
        {error && badIndex === undefined ? <ErrorNotice error={error} /> : null}
        <div class="form-actions rules-actions">
          {dirty ? <span class="muted small bot-dirty">{t('unsaved')}</span> : null}
          <Button disabled={!dirty || busy} onClick={() => { setRules(withKeys(bot.event_handlers)); setError(null); }}>
            {t('discard')}
          </Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!dirty}>
            {t('saveRules')}
          </Button>
        </div>
      </form>
      <RoutingPreview supported={supported} rules={rules} catalog={catalog} />
    </div>
  );
}

interface RuleEditorProps {
  rule: DraftRule;
  index: number;
  count: number;
  groups: EventGroup[];
  catalog: HandlerCatalog;
  defaultLabel: string;
  refused?: unknown;
  onChange: (rule: DraftRule) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

const CUSTOM = '__custom__';

function RuleEditor({ rule, index, count, groups, catalog, defaultLabel, refused, onChange, onMove, onRemove }: RuleEditorProps) {
  const t = useBotsT();
  const l = useLocalized();
  const names = useEventNames();
  const n = index + 1;
  const id = `rule-${rule.key}`;
  const listed = new Set([ANY_EVENT, ...groups.flatMap((g) => g.options.map((o) => o.value))]);
  const [custom, setCustom] = useState(!listed.has(rule.event_type));
  const patternOk = EVENT_PATTERN.test(rule.event_type);
  const item = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (refused) item.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [refused]);
  const kind = catalog.kinds.find((k) => k.type === rule.handler_type);
  const form = handlerForm(kind, catalog, rule.handler_config ?? {}, defaultLabel);
  const formValue = form ? withDefaults(form, rule.handler_config) : {};
  if (kind?.type === 'pipeline' && formValue.pipeline_uuid === undefined) formValue.pipeline_uuid = '';

  const changeHandler = (type: string) => {
    const nextKind = catalog.kinds.find((k) => k.type === type);
    const nextForm = handlerForm(nextKind, catalog, {}, defaultLabel);
    onChange({ ...rule, handler_type: type, handler_config: nextForm ? withDefaults(nextForm, {}) : {} });
  };
  const changeConfig = (next: Record<string, unknown>) => {
    // A different runner has a different settings form: start its settings from that form's defaults.
    if (kind?.type === 'agent' && next.runner !== rule.handler_config?.runner) {
      const runnerForm = typeof next.runner === 'string' ? catalog.runners.forms[next.runner] : undefined;
      next = { ...next, runner_config: runnerForm ? withDefaults(runnerForm, {}) : {} };
    }
    onChange({ ...rule, handler_config: next });
  };

  return (
    <li ref={item} class={`card rule ${rule.enabled ? '' : 'rule-off'} ${refused ? 'rule-refused' : ''}`} aria-labelledby={`${id}-title`} data-testid="event-rule">
      <div class="rule-head">
        <h3 id={`${id}-title`}>
          {t('ruleN', { n })}
          <span class="muted rule-summary">
            {' '}
            · {names.label(rule.event_type)} → {kind ? l(kind.label) : rule.handler_type}
          </span>
        </h3>
        <div class="row rule-tools">
          <button type="button" class="icon-btn" aria-label={t('moveUp', { n })} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" class="icon-btn" aria-label={t('moveDown', { n })} disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </button>
          <button type="button" class="icon-btn" aria-label={t('removeRule', { n })} onClick={onRemove}>
            ×
          </button>
        </div>
      </div>
      <div class="rule-grid">
        <div class="stack rule-event">
          <div class="field">
            <label for={`${id}-event`}>{t('event')}</label>
            <select
              id={`${id}-event`}
              value={custom ? CUSTOM : rule.event_type}
              aria-describedby={`${id}-event-hint`}
              onChange={(e) => {
                const value = (e.target as HTMLSelectElement).value;
                if (value === CUSTOM) return setCustom(true);
                setCustom(false);
                onChange({ ...rule, event_type: value });
              }}
            >
              <option value={ANY_EVENT}>{`${names.label(ANY_EVENT)} · *`}</option>
              {groups.map((group) => (
                <optgroup key={group.namespace} label={group.label}>
                  {group.options.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </optgroup>
              ))}
              <option value={CUSTOM}>{t('customPattern')}</option>
            </select>
            <p class="hint" id={`${id}-event-hint`}>
              {t('eventHint')}
            </p>
          </div>
          {custom ? (
            <div class="field">
              <label for={`${id}-pattern`}>{t('customPatternLabel')}</label>
              <input
                id={`${id}-pattern`}
                type="text"
                class="code"
                value={rule.event_type}
                spellcheck={false}
                aria-invalid={patternOk ? undefined : 'true'}
                aria-describedby={`${id}-pattern-hint`}
                onInput={(e) => onChange({ ...rule, event_type: (e.target as HTMLInputElement).value.trim() })}
              />
              <p class="hint" id={`${id}-pattern-hint`}>
                {t('customPatternHint')}
              </p>
              {patternOk ? null : <p class="field-error">{t('badPattern')}</p>}
            </div>
          ) : null}
        </div>
        <div class="field">
          <label for={`${id}-handler`}>{t('handler')}</label>
          <select id={`${id}-handler`} value={rule.handler_type} aria-describedby={`${id}-handler-hint`} onChange={(e) => changeHandler((e.target as HTMLSelectElement).value)}>
            {catalog.kinds.map((k) => (
              <option key={k.type} value={k.type}>
                {l(k.label)}
              </option>
            ))}
            {kind ? null : <option value={rule.handler_type}>{t('notInstalled', { type: rule.handler_type })}</option>}
          </select>
          <p class="hint" id={`${id}-handler-hint`}>
            {kind ? l(kind.description) : ''}
          </p>
        </div>
      </div>
      {form ? (
        <fieldset class="field-group rule-config">
          <legend>{t('handlerSettings')}</legend>
          <DynamicForm key={rule.handler_type} form={form} value={formValue} onChange={changeConfig} idPrefix={`${id}-cfg`} />
        </fieldset>
      ) : null}
      <div class="rule-grid rule-extra">
        <div class="field">
          <label for={`${id}-priority`}>{t('priority')}</label>
          <input
            id={`${id}-priority`}
            type="number"
            step={1}
            value={String(rule.priority ?? 0)}
            aria-describedby={`${id}-priority-hint`}
            onInput={(e) => {
              const value = Number.parseInt((e.target as HTMLInputElement).value, 10);
              onChange({ ...rule, priority: Number.isFinite(value) ? value : 0 });
            }}
          />
          <p class="hint" id={`${id}-priority-hint`}>
            {t('priorityHint')}
          </p>
        </div>
        <div class="field">
          <label for={`${id}-note`}>{t('note')}</label>
          <input id={`${id}-note`} type="text" value={rule.description ?? ''} onInput={(e) => onChange({ ...rule, description: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field field-inline rule-enabled">
          <input id={`${id}-enabled`} type="checkbox" role="switch" class="switch" checked={rule.enabled !== false} onChange={(e) => onChange({ ...rule, enabled: (e.target as HTMLInputElement).checked })} />
          <label for={`${id}-enabled`}>{t('ruleEnabled')}</label>
        </div>
      </div>
      {refused ? (
        <p class="field-error" role="alert">
          {t('ruleError', { error: refused instanceof Error ? refused.message : String(refused) })}
        </p>
      ) : null}
    </li>
  );
}

/** Each event the platform sends and the handler that would take it with the rules as edited. */
function RoutingPreview({ supported, rules, catalog }: { supported: string[]; rules: DraftRule[]; catalog: HandlerCatalog }) {
  const t = useBotsT();
  const l = useLocalized();
  const names = useEventNames();
  if (supported.length === 0) return null;
  const handlerName = (type: string) => {
    const kind = catalog.kinds.find((k) => k.type === type);
    return kind ? l(kind.label) : type;
  };
  return (
    <Card title={t('preview')} class="rules-preview">
      <p class="hint">{t('previewHint')}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('previewEvent')}</th>
              <th scope="col">{t('previewHandler')}</th>
            </tr>
          </thead>
          <tbody>
            {supported.map((type) => {
              const rule = ruleFor(type, rules);
              return (
                <tr key={type}>
                  <td>
                    {names.label(type)}
                    <br />
                    <code class="muted small">{type}</code>
                  </td>
                  <td>
                    {rule ? handlerName(rule.handler_type) : handlerName('plugin')}
                    <br />
                    <span class="muted small">{rule ? t('ruleN', { n: rules.indexOf(rule as DraftRule) + 1 }) : t('viaFallback')}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
