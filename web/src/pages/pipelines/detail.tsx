/**
 * `#/pipelines/<uuid>[/<tab>]`: a pipeline's settings in tabs (basics, the metadata sections, extensions) saved
 * together, and the debug chat. Unsaved edits survive moving to another console page and back.
 */
import { useEffect, useState } from 'preact/hooks';
import { Badge, Button, ErrorNotice, Loaded, PageHeader, Tabs, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { href, navigate } from '../../lib/router';
import { DebugChat } from './debug-chat';
import { ExtensionsPanel } from './extensions-panel';
import { usePipelinesT } from './i18n';
import { BasicFields } from './list';
import { SectionPanel, normalizeConfig } from './section-panel';
import { pipelinesApi, type ExtensionPrefs, type Pipeline, type PipelineConfig, type SectionMeta } from './types';
import './pipelines.css';

interface Draft {
  name: string;
  description: string;
  emoji: string;
  config: PipelineConfig;
  extensions: ExtensionPrefs;
}

/** Edits not saved yet, by pipeline, with the saved state they started from. */
const pending = new Map<string, { base: string; draft: Draft }>();

const DEFAULT_TAB = 'ai';

export function PipelineDetail({ uuid, tab }: { uuid: string; tab?: string }) {
  const loaded = useResource(async () => {
    const [pipeline, sections, extensions] = await Promise.all([pipelinesApi.get(uuid), pipelinesApi.metadata(), pipelinesApi.extensions(uuid)]);
    return { pipeline, sections, extensions };
  }, [uuid]);
  return <Loaded resource={loaded}>{(data) => <Editor key={uuid} {...data} tab={tab} />}</Loaded>;
}

function draftOf(pipeline: Pipeline, sections: SectionMeta[], extensions: ExtensionPrefs): Draft {
  return {
    name: pipeline.name,
    description: pipeline.description ?? '',
    emoji: pipeline.emoji ?? '',
    config: normalizeConfig(sections, pipeline.config),
    extensions: { enable_all_plugins: extensions.enable_all_plugins, enable_all_mcp_servers: extensions.enable_all_mcp_servers, bound_plugins: extensions.bound_plugins ?? [], bound_mcp_servers: extensions.bound_mcp_servers ?? [] },
  };
}

function Editor({ pipeline, sections, extensions, tab }: { pipeline: Pipeline; sections: SectionMeta[]; extensions: ExtensionPrefs; tab?: string }) {
  const t = usePipelinesT();
  const l = useLocalized();
  const [saved, setSaved] = useState(() => draftOf(pipeline, sections, extensions));
  const savedJson = JSON.stringify(saved);
  const [draft, setDraftState] = useState<Draft>(() => {
    const kept = pending.get(pipeline.uuid);
    return kept && kept.base === savedJson ? kept.draft : saved;
  });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [chatShown, setChatShown] = useState(tab === 'chat');
  const dirty = JSON.stringify(draft) !== savedJson;
  const active = tab && ['basic', 'extensions', 'chat', ...sections.map((s) => s.name)].includes(tab) ? tab : DEFAULT_TAB;

  const setDraft = (next: Draft) => {
    setDraftState(next);
    pending.set(pipeline.uuid, { base: savedJson, draft: next });
  };
  useEffect(() => {
    if (!dirty) pending.delete(pipeline.uuid);
  }, [dirty, pipeline.uuid]);
  useEffect(() => {
    if (active === 'chat') setChatShown(true);
  }, [active]);
  // A reload or closing the tab would lose the edits: let the browser ask.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const show = (id: string) => navigate(`/pipelines/${pipeline.uuid}/${id}`, { replace: true });
  const chooseModel = () => {
    show('ai');
    // The field exists once the AI tab has rendered.
    setTimeout(() => document.getElementById('ai-local-agent-model')?.focus(), 50);
  };

  const save = async () => {
    if (!draft.name.trim()) {
      show('basic');
      setError(new Error(t('nameRequired')));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const { extensions: prefs, ...rest } = draft;
      const { extensions: savedPrefs, ...savedRest } = saved;
      let next = saved;
      if (JSON.stringify(rest) !== JSON.stringify(savedRest)) {
        const updated = (await api.put<{ pipeline: Pipeline }>(`/api/v1/pipelines/${pipeline.uuid}`, { name: rest.name.trim(), description: rest.description, emoji: rest.emoji.trim() || '⚙️', config: rest.config })).pipeline;
        next = { ...next, name: updated.name, description: updated.description, emoji: updated.emoji, config: normalizeConfig(sections, updated.config) };
      }
      if (JSON.stringify(prefs) !== JSON.stringify(savedPrefs)) {
        const answered = await api.put<ExtensionPrefs>(`/api/v1/pipelines/${pipeline.uuid}/extensions`, prefs);
        next = { ...next, extensions: draftOf(pipeline, sections, answered).extensions };
      }
      pending.delete(pipeline.uuid);
      setSaved(next);
      setDraftState(next);
      toast.ok(t('saved'));
    } catch (e) {
      setError(e);
      toast.error(e);
    } finally {
      setSaving(false);
    }
  };

  const tabs = [
    { id: 'basic', label: t('tab_basic') },
    ...sections.map((s) => ({ id: s.name, label: l(s.label) || s.name })),
    { id: 'extensions', label: t('tab_extensions') },
    { id: 'chat', label: t('tab_chat') },
  ];
  const section = sections.find((s) => s.name === active);

  return (
    <>
      <a class="back-link" href={href('/pipelines')}>
        ← {t('back')}
      </a>
      <PageHeader
        title={`${draft.emoji || '⚙️'} ${draft.name || pipeline.name}`}
        description={draft.description || undefined}
        actions={
          <>
            {pipeline.is_default ? <Badge tone="good">{t('default')}</Badge> : null}
            {active !== 'chat' ? <Button onClick={() => show('chat')}>{t('chat')}</Button> : null}
          </>
        }
      />
      {error ? <ErrorNotice error={error} /> : null}
      <Tabs label={t('sections')} tabs={tabs} active={active} onChange={show} />
      <div role="tabpanel" aria-labelledby={`tab-${active}`} class="pipeline-panel" hidden={active === 'chat'}>
        {active === 'basic' ? (
          <div class="card form-grid">
            <BasicFields
              idPrefix="pipeline"
              name={draft.name}
              description={draft.description}
              emoji={draft.emoji}
              onName={(name) => setDraft({ ...draft, name })}
              onDescription={(description) => setDraft({ ...draft, description })}
              onEmoji={(emoji) => setDraft({ ...draft, emoji })}
            />
          </div>
        ) : null}
        {section ? <SectionPanel key={section.name} section={section} config={draft.config} onChange={(config) => setDraft({ ...draft, config })} /> : null}
        {active === 'extensions' ? <ExtensionsPanel prefs={draft.extensions} onChange={(extensions) => setDraft({ ...draft, extensions })} /> : null}
      </div>
      {/* Stays in view at the bottom while a long form is scrolled. */}
      <div class={dirty && active !== 'chat' ? 'pipeline-savebar' : 'pipeline-savebar saved'} role="region" aria-label={t('save')}>
        {/* Buttons on the left: toasts appear bottom right. */}
        {dirty ? (
          <div class="row">
            <Button variant="primary" busy={saving} onClick={save}>
              {t('save')}
            </Button>
            <Button onClick={() => { pending.delete(pipeline.uuid); setDraftState(saved); setError(null); }}>
              {t('discard')}
            </Button>
          </div>
        ) : null}
        <span role="status">{dirty ? <Badge tone="warn">{t('unsaved')}</Badge> : null}</span>
      </div>
      {/* The chat stays connected while other tabs are looked at. */}
      {chatShown ? (
        <div role="tabpanel" aria-labelledby="tab-chat" hidden={active !== 'chat'}>
          <DebugChat uuid={pipeline.uuid} config={saved.config} dirty={dirty} saving={saving} onSave={save} onChooseModel={chooseModel} />
        </div>
      ) : null}
    </>
  );
}
