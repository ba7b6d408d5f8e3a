/** Add or change an MCP server: a local command (stdio) or a remote URL, with a connection test before saving. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { TextField } from '../../components/form';
import { Button, Dialog, ErrorNotice, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useMcpT } from './i18n';
import { MASKED, MODES, serverPath, type McpServer, type Mode, type ServerBody, type TestResult } from './model';
import { PairsEditor, fromPairs, toPairs, type Pair } from './pairs';
import { TestResultView } from './test-result';

interface Draft {
  name: string;
  mode: Mode;
  enable: boolean;
  command: string;
  args: string;
  env: Pair[];
  cwd: string;
  url: string;
  headers: Pair[];
  timeout: string;
  toolTimeout: string;
  readme: string;
}

const draftOf = (server?: McpServer): Draft => {
  const a = server?.extra_args ?? {};
  return {
    name: server?.name ?? '',
    mode: server?.mode ?? 'stdio',
    enable: server?.enable ?? true,
    command: a.command ?? '',
    args: (a.args ?? []).join('\n'),
    env: toPairs(a.env),
    cwd: a.cwd ?? '',
    url: a.url ?? '',
    headers: toPairs(a.headers),
    timeout: a.timeout === undefined ? '' : String(a.timeout),
    toolTimeout: a.tool_call_timeout_sec === undefined ? '' : String(a.tool_call_timeout_sec),
    readme: server?.readme ?? '',
  };
};

/** Only the fields of the chosen transport are sent; empty optional fields are left out. */
function bodyOf(d: Draft): ServerBody {
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const extra =
    d.mode === 'stdio'
      ? { command: d.command.trim(), args: d.args.split('\n').map((s) => s.trim()).filter(Boolean), env: fromPairs(d.env), ...(d.cwd.trim() ? { cwd: d.cwd.trim() } : {}) }
      : { url: d.url.trim(), headers: fromPairs(d.headers) };
  const timeouts = { timeout: number(d.timeout), tool_call_timeout_sec: number(d.toolTimeout) };
  return {
    name: d.name.trim(),
    mode: d.mode,
    enable: d.enable,
    extra_args: { ...extra, ...Object.fromEntries(Object.entries(timeouts).filter(([, v]) => v !== undefined)) },
    readme: d.readme,
  };
}

export function ServerDialog({ open, server, onClose, onSaved }: { open: boolean; server?: McpServer; onClose: () => void; onSaved: (server: McpServer) => void }) {
  const t = useMcpT();
  return (
    <Dialog title={server ? t('editTitle', { name: server.name }) : t('addTitle')} open={open} onClose={onClose} wide>
      {open ? <ServerForm server={server} onClose={onClose} onSaved={onSaved} /> : null}
    </Dialog>
  );
}

function ServerForm({ server, onClose, onSaved }: { server?: McpServer; onClose: () => void; onSaved: (server: McpServer) => void }) {
  const t = useMcpT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(server));
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [test, setTest] = useState<TestResult | null>(null);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const hasMasked = [...draft.env, ...draft.headers].some((p) => p.value === MASKED);
  const outcome = useRef<HTMLDivElement>(null);
  // The result appears under a long form: bring it into view.
  useEffect(() => outcome.current?.scrollIntoView({ block: 'nearest' }), [test, error]);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy('save');
    setError(null);
    try {
      const body = bodyOf(draft);
      const saved = server
        ? (await api.put<{ server: McpServer }>(serverPath(server.uuid), body)).server
        : (await api.post<{ server: McpServer }>('/api/v1/mcp/servers', body)).server;
      toast.ok(server ? t('saved', { name: saved.name }) : t('created', { name: saved.name }));
      onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const runTest = async () => {
    setBusy('test');
    setError(null);
    setTest(null);
    try {
      setTest(await api.post<TestResult>('/api/v1/mcp/servers/_/test', bodyOf(draft)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form class="stack mcp-form" onSubmit={save}>
      <div class="grid-2">
        <TextField id="mcp-name" label={t('name')} value={draft.name} onInput={(name) => set({ name })} required hint={t('nameHint')} />
        <div class="field">
          <label for="mcp-mode">{t('mode')}</label>
          <select id="mcp-mode" value={draft.mode} onChange={(e) => set({ mode: (e.target as HTMLSelectElement).value as Mode })}>
            {MODES.map((m) => (
              <option key={m} value={m}>
                {t(`mode_${m}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field field-inline">
        <input id="mcp-enable" type="checkbox" role="switch" class="switch" checked={draft.enable} onChange={(e) => set({ enable: (e.target as HTMLInputElement).checked })} />
        <label for="mcp-enable">{t('enable')}</label>
      </div>
      {draft.mode === 'stdio' ? (
        <>
          <div class="grid-2">
            <TextField id="mcp-command" label={t('command')} value={draft.command} onInput={(command) => set({ command })} required hint={t('commandHint')} />
            <TextField id="mcp-cwd" label={t('cwd')} value={draft.cwd} onInput={(cwd) => set({ cwd })} />
          </div>
          <div class="field">
            <label for="mcp-args">{t('args')}</label>
            <textarea id="mcp-args" class="code" rows={3} spellcheck={false} value={draft.args} aria-describedby="mcp-args-hint" onInput={(e) => set({ args: (e.target as HTMLTextAreaElement).value })} />
            <p class="hint" id="mcp-args-hint">
              {t('argsHint')}
            </p>
          </div>
          <PairsEditor id="mcp-env" legend={t('env')} pairs={draft.env} onChange={(env) => set({ env })} hint={hasMasked ? t('maskedHint') : undefined} />
        </>
      ) : (
        <>
          <TextField id="mcp-url" label={t('url')} type="url" value={draft.url} onInput={(url) => set({ url })} required />
          <PairsEditor id="mcp-headers" legend={t('headers')} pairs={draft.headers} onChange={(headers) => set({ headers })} hint={hasMasked ? t('maskedHint') : undefined} />
        </>
      )}
      <div class="grid-2">
        <NumberField id="mcp-timeout" label={t('timeout')} value={draft.timeout} onInput={(timeout) => set({ timeout })} hint={t('timeoutHint')} />
        <NumberField id="mcp-tool-timeout" label={t('toolTimeout')} value={draft.toolTimeout} onInput={(toolTimeout) => set({ toolTimeout })} />
      </div>
      <div class="field">
        <label for="mcp-readme">{t('readme')}</label>
        <textarea id="mcp-readme" rows={3} value={draft.readme} onInput={(e) => set({ readme: (e.target as HTMLTextAreaElement).value })} />
      </div>
      <div ref={outcome} class="stack">
        {test ? <TestResultView result={test} /> : null}
        {error ? <ErrorNotice error={error} /> : null}
      </div>
      <div class="form-actions">
        {/* A stored secret is masked here, so only a new server (or one without masked values) can be tested from the form. */}
        {!hasMasked ? (
          <Button onClick={runTest} busy={busy === 'test'} disabled={busy !== null}>
            {busy === 'test' ? t('testing') : t('testSettings')}
          </Button>
        ) : null}
        <Button onClick={onClose}>{t('cancel')}</Button>
        <Button type="submit" variant="primary" busy={busy === 'save'} disabled={busy !== null}>
          {t('save')}
        </Button>
      </div>
    </form>
  );
}

function NumberField({ id, label, value, onInput, hint }: { id: string; label: string; value: string; onInput: (v: string) => void; hint?: string }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="number" min={1} step="any" inputMode="numeric" value={value} aria-describedby={hint ? `${id}-hint` : undefined} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
