/**
 * Forms generated from the config forms in manifests and pipeline metadata (kernel/manifest/config-form.ts): every
 * field type and widget, nested objects and lists, defaults, secrets shown masked, and the model / bot pickers.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../lib/api';
import { useLocalized } from '../lib/i18n';
import { useResource } from '../lib/resource';
import { useUiT } from './ui-i18n';

export interface FormField {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  title?: unknown;
  description?: unknown;
  default?: unknown;
  enum?: Array<string | number>;
  enumLabels?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: FormField;
  properties?: Record<string, FormField>;
  required?: string[];
  widget?: string;
  placeholder?: unknown;
  group?: string;
  order?: number;
  secret?: boolean;
}

export interface ConfigForm {
  type?: 'object';
  properties: Record<string, FormField>;
  required?: string[];
}

export const SECRET_MASK = '******';

/** The value a form starts with: the stored value where there is one, the field's default elsewhere. */
export function withDefaults(form: ConfigForm, value: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(value ?? {}) };
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    if (out[name] === undefined && field.default !== undefined) out[name] = structuredClone(field.default);
    if (field.type === 'object' && field.properties) out[name] = withDefaults(field as ConfigForm, out[name] as Record<string, unknown>);
  }
  return out;
}

const ordered = (properties: Record<string, FormField>) =>
  Object.entries(properties).sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0));

export function DynamicForm({ form, value, onChange, idPrefix = 'f' }: { form: ConfigForm; value: Record<string, unknown>; onChange: (next: Record<string, unknown>) => void; idPrefix?: string }) {
  const entries = ordered(form.properties ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="form-grid">
      {entries.map(([name, field]) => (
        <FieldEditor
          key={name}
          id={`${idPrefix}-${name}`}
          name={name}
          field={field}
          required={form.required?.includes(name) ?? false}
          value={value[name]}
          onChange={(next) => onChange({ ...value, [name]: next })}
        />
      ))}
    </div>
  );
}

interface EditorProps {
  id: string;
  name: string;
  field: FormField;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}

function FieldEditor(props: EditorProps) {
  const { id, field, required } = props;
  const l = useLocalized();
  const label = l(field.title) || props.name;
  const description = l(field.description);
  const control = <Control {...props} />;
  if (field.type === 'object' && field.widget !== 'json' && field.widget !== 'model-select') {
    return (
      <fieldset class="field field-group" data-field={props.name}>
        <legend>{label}</legend>
        {description ? <p class="hint">{description}</p> : null}
        {control}
      </fieldset>
    );
  }
  if (field.type === 'boolean') {
    return (
      <div class="field field-inline" data-field={props.name}>
        {control}
        <label for={id}>{label}</label>
        {description ? <p class="hint" id={`${id}-hint`}>{description}</p> : null}
      </div>
    );
  }
  return (
    <div class="field" data-field={props.name}>
      <label for={id}>
        {label}
        {required ? <span class="required" aria-hidden="true"> *</span> : null}
      </label>
      {control}
      {description ? <p class="hint" id={`${id}-hint`}>{description}</p> : null}
    </div>
  );
}

function Control({ id, name, field, required, value, onChange }: EditorProps) {
  const l = useLocalized();
  const t = useUiT();
  const described = field.description ? `${id}-hint` : undefined;
  const placeholder = l(field.placeholder) || undefined;

  if (field.widget === 'model-select') return <ModelSelect id={id} field={field} value={value} onChange={onChange} />;
  if (field.widget === 'bot-select') return <ResourceSelect id={id} path="/api/v1/platform/bots" list="bots" value={value} onChange={onChange} />;
  if (field.widget === 'json' || field.widget === 'code' || (field.type === 'object' && !field.properties) || (field.type === 'array' && !field.items)) {
    return <JsonEditor id={id} value={value} onChange={onChange} described={described} asText={field.type === 'string'} />;
  }
  switch (field.type) {
    case 'boolean':
      return <input id={id} type="checkbox" role="switch" class="switch" checked={value === true} aria-describedby={described} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />;
    case 'number':
    case 'integer': {
      if (field.enum) return <EnumSelect id={id} field={field} value={value} onChange={onChange} described={described} />;
      const parse = (text: string) => (text === '' ? undefined : field.type === 'integer' ? Number.parseInt(text, 10) : Number(text));
      const slider = field.widget === 'slider' && field.minimum !== undefined && field.maximum !== undefined;
      return (
        <div class={slider ? 'slider-row' : undefined}>
          {slider ? <input type="range" min={field.minimum} max={field.maximum} step={field.type === 'integer' ? 1 : (field.maximum! - field.minimum!) / 100} value={Number(value ?? field.minimum)} onInput={(e) => onChange(parse((e.target as HTMLInputElement).value))} aria-label={l(field.title)} /> : null}
          <input id={id} type="number" value={value === undefined || value === null ? '' : String(value)} min={field.minimum} max={field.maximum} step={field.type === 'integer' ? 1 : 'any'} required={required} aria-describedby={described} onInput={(e) => onChange(parse((e.target as HTMLInputElement).value))} />
        </div>
      );
    }
    case 'string': {
      if (field.enum) return <EnumSelect id={id} field={field} value={value} onChange={onChange} described={described} />;
      if (field.secret || field.widget === 'secret') return <SecretInput id={id} value={String(value ?? '')} onChange={onChange} described={described} required={required} />;
      if (field.widget === 'textarea') return <textarea id={id} rows={4} value={String(value ?? '')} placeholder={placeholder} required={required} aria-describedby={described} onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)} />;
      return <input id={id} type="text" value={String(value ?? '')} placeholder={placeholder} required={required} minLength={field.minLength} maxLength={field.maxLength} pattern={field.pattern} aria-describedby={described} onInput={(e) => onChange((e.target as HTMLInputElement).value)} />;
    }
    case 'object':
      return <DynamicForm form={field as ConfigForm} value={(value as Record<string, unknown>) ?? {}} onChange={onChange} idPrefix={id} />;
    case 'array': {
      const items = Array.isArray(value) ? value : [];
      const item = field.items!;
      const fresh = () => (item.type === 'object' ? withDefaults(item as ConfigForm, {}) : item.default ?? (item.type === 'string' ? '' : item.type === 'boolean' ? false : 0));
      return (
        <div class="list-editor" id={id} role="group" aria-describedby={described}>
          {items.map((entry, index) => (
            <div class="list-row" key={index}>
              <div class="list-cell">
                {item.type === 'object' ? null : (
                  <label class="sr-only" for={`${id}-${index}`}>
                    {`${l(item.title) || l(field.title) || name} ${index + 1}`}
                  </label>
                )}
                <Control id={`${id}-${index}`} name={`${name}.${index}`} field={item} required={false} value={entry} onChange={(next) => onChange(items.map((v, i) => (i === index ? next : v)))} />
              </div>
              <button type="button" class="icon-btn" aria-label={`${t('remove')} ${index + 1}`} onClick={() => onChange(items.filter((_, i) => i !== index))}>
                ×
              </button>
            </div>
          ))}
          <button type="button" class="btn btn-ghost btn-small" onClick={() => onChange([...items, fresh()])}>
            + {t('add')}
          </button>
        </div>
      );
    }
  }
}

function EnumSelect({ id, field, value, onChange, described }: { id: string; field: FormField; value: unknown; onChange: (v: unknown) => void; described?: string }) {
  const l = useLocalized();
  const t = useUiT();
  const options = field.enum ?? [];
  if (field.widget === 'radio') {
    return (
      <div class="radio-group" role="radiogroup" id={id} aria-describedby={described}>
        {options.map((option, index) => (
          <label key={String(option)}>
            <input type="radio" name={id} checked={value === option} onChange={() => onChange(option)} /> {l(field.enumLabels?.[index]) || String(option)}
          </label>
        ))}
      </div>
    );
  }
  return (
    <select id={id} value={value === undefined ? '' : String(value)} aria-describedby={described} onChange={(e) => {
      const raw = (e.target as HTMLSelectElement).value;
      onChange(options.find((o) => String(o) === raw));
    }}>
      {value === undefined || !options.includes(value as string) ? <option value="">{t('selectPlaceholder')}</option> : null}
      {options.map((option, index) => (
        <option key={String(option)} value={String(option)}>
          {l(field.enumLabels?.[index]) || String(option)}
        </option>
      ))}
    </select>
  );
}

function SecretInput({ id, value, onChange, described, required }: { id: string; value: string; onChange: (v: unknown) => void; described?: string; required: boolean }) {
  const [shown, setShown] = useState(false);
  const t = useUiT();
  const masked = value === SECRET_MASK;
  return (
    <div class="input-with-button">
      <input id={id} {...{ type: shown && !masked ? 'text' : 'password' }} autoComplete="off" value={value} required={required} placeholder={masked ? t('unchangedSecret') : undefined} aria-describedby={described} onFocus={(e) => masked && (e.target as HTMLInputElement).select()} onInput={(e) => onChange((e.target as HTMLInputElement).value)} />
      {!masked ? (
        <button type="button" class="btn btn-ghost btn-small" onClick={() => setShown(!shown)} aria-pressed={shown}>
          {shown ? t('hide') : t('show')}
        </button>
      ) : null}
    </div>
  );
}

function JsonEditor({ id, value, onChange, described, asText }: { id: string; value: unknown; onChange: (v: unknown) => void; described?: string; asText: boolean }) {
  const [text, setText] = useState(() => (asText ? String(value ?? '') : JSON.stringify(value ?? null, null, 2)));
  const [problem, setProblem] = useState('');
  const t = useUiT();
  return (
    <>
      <textarea id={id} class="code" rows={6} spellcheck={false} value={text} aria-invalid={problem ? 'true' : undefined} aria-describedby={described} onInput={(e) => {
        const next = (e.target as HTMLTextAreaElement).value;
        setText(next);
        if (asText) return onChange(next);
        try {
          onChange(JSON.parse(next));
          setProblem('');
        } catch (error) {
          setProblem(t('invalidJson', { error: (error as Error).message }));
        }
      }} />
      {problem ? <p class="field-error" role="alert">{problem}</p> : null}
    </>
  );
}

interface ModelEntry {
  uuid: string;
  name: string;
  provider?: { name?: string };
}

/** The model picker: a primary model, fallbacks in order, and the other sub-fields (reasoning) as usual. */
function ModelSelect({ id, field, value, onChange }: { id: string; field: FormField; value: unknown; onChange: (v: unknown) => void }) {
  const models = useResource(() => api.get<{ models: ModelEntry[] }>('/api/v1/provider/models/llm'), []);
  const t = useUiT();
  const l = useLocalized();
  const current = (typeof value === 'object' && value !== null ? value : { primary: typeof value === 'string' ? value : '', fallbacks: [] }) as { primary?: string; fallbacks?: string[] } & Record<string, unknown>;
  const options = models.data?.models ?? [];
  const select = (selectId: string, selected: string, set: (uuid: string) => void, label: string) => (
    <select id={selectId} value={selected} aria-label={label} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
      <option value="">{models.loading ? t('loading') : t('selectPlaceholder')}</option>
      {options.map((m) => (
        <option key={m.uuid} value={m.uuid}>
          {m.name}
          {m.provider?.name ? ` · ${m.provider.name}` : ''}
        </option>
      ))}
      {selected && !options.some((m) => m.uuid === selected) && !models.loading ? <option value={selected}>{selected}</option> : null}
    </select>
  );
  const fallbacks = current.fallbacks ?? [];
  const rest = Object.fromEntries(Object.entries(field.properties ?? {}).filter(([name]) => name !== 'primary' && name !== 'fallbacks'));
  return (
    <div class="model-select">
      {select(id, current.primary ?? '', (uuid) => onChange({ ...current, primary: uuid }), l(field.title))}
      {field.properties?.fallbacks ? (
        <div class="list-editor" role="group" aria-label={l(field.properties.fallbacks.title)}>
          <span class="hint">{l(field.properties.fallbacks.title)}</span>
          {fallbacks.map((uuid, index) => (
            <div class="list-row" key={index}>
              {select(`${id}-fallback-${index}`, uuid, (next) => onChange({ ...current, fallbacks: fallbacks.map((v, i) => (i === index ? next : v)) }), `${l(field.properties!.fallbacks.title)} ${index + 1}`)}
              <button type="button" class="icon-btn" aria-label={`${t('remove')} ${index + 1}`} onClick={() => onChange({ ...current, fallbacks: fallbacks.filter((_, i) => i !== index) })}>
                ×
              </button>
            </div>
          ))}
          <button type="button" class="btn btn-ghost btn-small" onClick={() => onChange({ ...current, fallbacks: [...fallbacks, ''] })}>
            + {t('add')}
          </button>
        </div>
      ) : null}
      {Object.keys(rest).length > 0 ? <DynamicForm form={{ properties: rest }} value={current} onChange={(next) => onChange(next)} idPrefix={id} /> : null}
    </div>
  );
}

function ResourceSelect({ id, path, list, value, onChange }: { id: string; path: string; list: string; value: unknown; onChange: (v: unknown) => void }) {
  const resource = useResource(() => api.get<Record<string, Array<{ uuid: string; name: string }>>>(path), [path]);
  const t = useUiT();
  return (
    <select id={id} value={String(value ?? '')} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
      <option value="">{resource.loading ? t('loading') : t('selectPlaceholder')}</option>
      {(resource.data?.[list] ?? []).map((item) => (
        <option key={item.uuid} value={item.uuid}>
          {item.name}
        </option>
      ))}
    </select>
  );
}

/** A labelled plain input for hand-written forms (names, descriptions). */
export function TextField({ id, label, value, onInput, required, type = 'text', hint, autoComplete, children }: { id: string; label: string; value: string; onInput: (v: string) => void; required?: boolean; type?: string; hint?: string; autoComplete?: string; children?: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? <span class="required" aria-hidden="true"> *</span> : null}
      </label>
      <input id={id} {...{ type }} value={value} required={required} autoComplete={autoComplete} aria-describedby={hint ? `${id}-hint` : undefined} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
      {hint ? <p class="hint" id={`${id}-hint`}>{hint}</p> : null}
      {children}
    </div>
  );
}
