/** `#/mcp`: the MCP servers, their connection state and tools; add, edit, enable, test and delete them. */
import { useState } from 'preact/hooks';
import { Badge, Button, Empty, Loaded, PageHeader } from '../../components/ui';
import { api } from '../../lib/api';
import { useInterval, useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { DeleteButton, EnableSwitch, TestButton } from './actions';
import { useMcpT } from './i18n';
import { statusTone, type McpServer } from './model';
import { ServerDialog } from './server-dialog';
import './mcp.css';

export function McpList() {
  const t = useMcpT();
  const resource = useResource(() => api.get<{ servers: McpServer[] }>('/api/v1/mcp/servers'), []);
  const [editing, setEditing] = useState<McpServer | 'new' | null>(null);
  useInterval(() => {
    if (resource.data?.servers.some((s) => s.status === 'connecting')) void resource.reload();
  }, 1500);
  const saved = () => {
    setEditing(null);
    void resource.reload();
  };
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          <>
            <Button onClick={() => void resource.reload()}>{t('refresh')}</Button>
            <Button variant="primary" onClick={() => setEditing('new')}>
              {t('add')}
            </Button>
          </>
        }
      />
      <Loaded resource={resource}>
        {({ servers }) =>
          servers.length === 0 ? (
            <Empty>{t('empty')}</Empty>
          ) : (
            <section class="card">
              <div class="table-wrap">
                <table class="mcp-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('colName')}</th>
                      <th scope="col">{t('colMode')}</th>
                      <th scope="col">{t('colStatus')}</th>
                      <th scope="col">{t('colTools')}</th>
                      <th scope="col">{t('colEnabled')}</th>
                      <th scope="col">{t('colActions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {servers.map((s) => (
                      <tr key={s.uuid} data-server={s.name}>
                        <td data-label={t('colName')}>
                          <a class="mcp-name" href={href(`/mcp/${s.uuid}`)}>
                            {s.name}
                          </a>
                          <div class="muted small mcp-target">{s.mode === 'stdio' ? [s.extra_args.command, ...(s.extra_args.args ?? [])].join(' ') : s.extra_args.url}</div>
                        </td>
                        <td data-label={t('colMode')}>{t(`mode_${s.mode}`)}</td>
                        <td data-label={t('colStatus')}>
                          <div>
                            <Badge tone={statusTone(s.status)} title={s.last_error}>
                              {t(`status_${s.status}`)}
                            </Badge>
                            {s.status === 'failed' && s.last_error ? <div class="small mcp-error">{s.last_error}</div> : null}
                          </div>
                        </td>
                        <td data-label={t('colTools')}>{s.tool_count}</td>
                        <td data-label={t('colEnabled')}>
                          <EnableSwitch server={s} onChanged={resource.reload} />
                        </td>
                        <td data-label={t('colActions')}>
                          <div class="row">
                            <TestButton server={s} small />
                            <Button class="btn-small" onClick={() => setEditing(s)} aria-label={`${t('edit')} ${s.name}`}>
                              {t('edit')}
                            </Button>
                            <DeleteButton server={s} onDeleted={resource.reload} small />
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )
        }
      </Loaded>
      <ServerDialog open={editing !== null} server={editing === 'new' || editing === null ? undefined : editing} onClose={() => setEditing(null)} onSaved={saved} />
    </>
  );
}
