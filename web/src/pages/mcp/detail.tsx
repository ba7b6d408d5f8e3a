/** `#/mcp/:uuid`: one MCP server — how it connects, its tools, its connection log. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Badge, Button, Card, Empty, Loaded, PageHeader, formatTime } from '../../components/ui';
import { api } from '../../lib/api';
import { useInterval, useResource } from '../../lib/resource';
import { href, navigate } from '../../lib/router';
import { DeleteButton, EnableSwitch, TestButton } from './actions';
import { useMcpT } from './i18n';
import { serverPath, statusTone, type McpServer, type McpTool } from './model';
import { ServerDialog } from './server-dialog';
import './mcp.css';

export function McpDetail({ uuid }: { uuid: string }) {
  const t = useMcpT();
  const resource = useResource(() => api.get<{ server: McpServer }>(serverPath(uuid)), [uuid]);
  useInterval(() => {
    if (resource.data?.server.status === 'connecting') void resource.reload();
  }, 1500);
  return (
    <>
      <p class="mcp-back">
        <a href={href('/mcp')}>← {t('back')}</a>
      </p>
      <Loaded resource={resource}>{({ server }) => <Server server={server} reload={resource.reload} />}</Loaded>
    </>
  );
}

function Server({ server, reload }: { server: McpServer; reload: () => Promise<void> }) {
  const t = useMcpT();
  const [editing, setEditing] = useState(false);
  const a = server.extra_args;
  const keys = (record?: Record<string, string>) => Object.keys(record ?? {}).join(', ') || t('none');
  return (
    <>
      <PageHeader
        title={server.name}
        description={server.readme || undefined}
        actions={
          <div class="row">
            <Badge tone={statusTone(server.status)}>{t(`status_${server.status}`)}</Badge>
            <label class="row mcp-switch-label">
              <EnableSwitch server={server} onChanged={reload} />
              <span>{t('colEnabled')}</span>
            </label>
            <TestButton server={server} />
            <Button onClick={() => setEditing(true)}>{t('edit')}</Button>
            <DeleteButton server={server} onDeleted={() => navigate('/mcp')} />
          </div>
        }
      />
      {server.status === 'failed' && server.last_error ? (
        <div class="state error mcp-failure" role="alert">
          <strong>{t('lastError')}</strong>
          <p>{server.last_error}</p>
        </div>
      ) : null}
      <div class="grid-2">
        <Card title={t('connection')}>
          <dl class="mcp-facts">
            <dt>{t('mode')}</dt>
            <dd>{t(`mode_${server.mode}`)}</dd>
            {server.mode === 'stdio' ? (
              <>
                <dt>{t('command')}</dt>
                <dd>
                  <code>{[a.command, ...(a.args ?? [])].join(' ')}</code>
                </dd>
                {a.cwd ? (
                  <>
                    <dt>{t('cwd')}</dt>
                    <dd>
                      <code>{a.cwd}</code>
                    </dd>
                  </>
                ) : null}
                <dt>{t('env')}</dt>
                <dd>{keys(a.env)}</dd>
              </>
            ) : (
              <>
                <dt>{t('url')}</dt>
                <dd>
                  <code>{a.url}</code>
                </dd>
                <dt>{t('headers')}</dt>
                <dd>{keys(a.headers)}</dd>
              </>
            )}
            <dt>{t('timeout')}</dt>
            <dd>{a.timeout ?? 10}</dd>
            <dt>{t('toolTimeout')}</dt>
            <dd>{a.tool_call_timeout_sec ?? 300}</dd>
            <dt>{t('created_at')}</dt>
            <dd>{formatTime(server.created_at)}</dd>
            <dt>{t('updated_at')}</dt>
            <dd>{formatTime(server.updated_at)}</dd>
          </dl>
        </Card>
        <ToolsCard server={server} />
      </div>
      <LogsCard server={server} />
      <ServerDialog
        open={editing}
        server={server}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          void reload();
        }}
      />
    </>
  );
}

function ToolsCard({ server }: { server: McpServer }) {
  const t = useMcpT();
  // Reloaded whenever the connection changes, so the list follows what the live connection offers.
  const tools = useResource(() => api.get<{ tools: McpTool[] }>(`${serverPath(server.uuid)}/tools`), [server.uuid, server.status, server.tool_count, server.updated_at]);
  return (
    <Card title={`${t('tools')} (${server.tool_count})`}>
      <p class="hint">{t('toolsNote')}</p>
      {server.resource_count ? <p class="hint">{t('resources', { n: server.resource_count })}</p> : null}
      <Loaded resource={tools}>
        {(data) =>
          data.tools.length === 0 ? (
            <Empty>{t('noTools')}</Empty>
          ) : (
            <ul class="mcp-tool-list">
              {data.tools.map((tool) => {
                const params = Object.keys(tool.parameters?.properties ?? {});
                return (
                  <li key={tool.name}>
                    <code>
                      {server.name}/{tool.name}
                    </code>
                    {tool.description ? <div class="muted small">{tool.description}</div> : null}
                    {params.length ? (
                      <div class="small">
                        {t('params')}: {params.map((p) => (tool.parameters?.required?.includes(p) ? `${p}*` : p)).join(', ')}
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
    </Card>
  );
}

function LogsCard({ server }: { server: McpServer }) {
  const t = useMcpT();
  const [auto, setAuto] = useState(false);
  const logs = useResource(() => api.get<{ logs: Array<{ at: string; line: string }> }>(`${serverPath(server.uuid)}/logs`), [server.uuid, server.status]);
  useInterval(() => {
    if (auto && !logs.loading) void logs.reload();
  }, 3000);
  const view = useRef<HTMLDivElement>(null);
  const count = logs.data?.logs.length ?? 0;
  useEffect(() => {
    if (view.current) view.current.scrollTop = view.current.scrollHeight;
  }, [count]);
  return (
    <Card
      title={t('logs')}
      actions={
        <div class="row">
          <div class="field field-inline">
            <input id="mcp-log-auto" type="checkbox" role="switch" class="switch" checked={auto} onChange={(e) => setAuto((e.target as HTMLInputElement).checked)} />
            <label for="mcp-log-auto">{t('autoRefresh')}</label>
          </div>
          <Button class="btn-small" onClick={() => void logs.reload()} busy={logs.loading && logs.data !== undefined}>
            {t('refresh')}
          </Button>
        </div>
      }
    >
      <Loaded resource={logs}>
        {(data) =>
          data.logs.length === 0 ? (
            <Empty>{t('noLogs')}</Empty>
          ) : (
            <div class="log-view" ref={view} role="log" tabIndex={0} aria-label={t('logsLabel', { name: server.name })}>
              {data.logs.map((entry, i) => (
                <div key={i} class={`log-line ${/^stderr:/.test(entry.line) ? 'log-warn' : ''}`}>
                  <span class="mcp-log-time">{new Date(entry.at).toLocaleTimeString()}</span> {entry.line}
                </div>
              ))}
            </div>
          )
        }
      </Loaded>
    </Card>
  );
}
