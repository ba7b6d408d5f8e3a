/** What can be done to a stored MCP server, from the list or its page: enable / disable, test, delete. */
import { useState } from 'preact/hooks';
import { Button, ConfirmButton, toast } from '../../components/ui';
import { api } from '../../lib/api';
import { useMcpT } from './i18n';
import { serverPath, type McpServer, type TestResult } from './model';
import { TestDialog } from './test-result';

export function EnableSwitch({ server, onChanged }: { server: McpServer; onChanged: () => Promise<void> | void }) {
  const t = useMcpT();
  const [busy, setBusy] = useState(false);
  const id = `mcp-enable-${server.uuid}`;
  const change = async (enable: boolean) => {
    setBusy(true);
    try {
      await api.put(serverPath(server.uuid), { enable });
      toast.ok(enable ? t('nowEnabled', { name: server.name }) : t('nowDisabled', { name: server.name }));
      await onChanged();
    } catch (error) {
      toast.error(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <input
      id={id}
      type="checkbox"
      role="switch"
      class="switch"
      checked={server.enable}
      disabled={busy}
      aria-label={t('enabledToggle', { name: server.name })}
      onChange={(e) => void change((e.target as HTMLInputElement).checked)}
    />
  );
}

export function TestButton({ server, small }: { server: McpServer; small?: boolean }) {
  const t = useMcpT();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const run = async () => {
    setBusy(true);
    try {
      setResult(await api.post<TestResult>(`${serverPath(server.uuid)}/test`));
    } catch (error) {
      toast.error(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button class={small ? 'btn-small' : undefined} onClick={run} busy={busy} aria-label={small ? `${t('test')} ${server.name}` : undefined}>
        {busy ? t('testing') : t('test')}
      </Button>
      <TestDialog name={server.name} result={result} onClose={() => setResult(null)} />
    </>
  );
}

export function DeleteButton({ server, onDeleted, small }: { server: McpServer; onDeleted: () => Promise<void> | void; small?: boolean }) {
  const t = useMcpT();
  return (
    <ConfirmButton
      class={small ? 'btn-small' : undefined}
      label={t('delete')}
      aria-label={small ? `${t('delete')} ${server.name}` : undefined}
      question={t('deleteQuestion', { name: server.name })}
      onConfirm={async () => {
        await api.del(serverPath(server.uuid));
        toast.ok(t('deleted', { name: server.name }));
        await onDeleted();
      }}
    />
  );
}
