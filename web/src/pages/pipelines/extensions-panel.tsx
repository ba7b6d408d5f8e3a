/** Which extensions' tools and which MCP servers the pipeline's runner gets (`/pipelines/<uuid>/extensions`). */
import { Card, Loaded } from '../../components/ui';
import { api } from '../../lib/api';
import { useLocalized } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { usePipelinesT } from './i18n';
import type { ExtensionPrefs } from './types';

interface ExtensionInfo {
  id: string;
  display_name?: unknown;
  enabled?: boolean;
  contributes?: { tools?: string[] };
}
interface McpServer {
  uuid: string;
  name: string;
  enable?: boolean;
}

export function ExtensionsPanel({ prefs, onChange }: { prefs: ExtensionPrefs; onChange: (next: ExtensionPrefs) => void }) {
  const t = usePipelinesT();
  const l = useLocalized();
  const available = useResource(async () => {
    const [extensions, servers] = await Promise.all([
      api.get<{ extensions: ExtensionInfo[] }>('/api/v1/extensions').then((d) => d.extensions.filter((e) => (e.contributes?.tools?.length ?? 0) > 0)),
      api.get<{ servers: McpServer[] }>('/api/v1/mcp/servers').then((d) => d.servers),
    ]);
    return { extensions, servers };
  }, []);
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...new Set([...list, id])] : list.filter((x) => x !== id));

  return (
    <Loaded resource={available}>
      {({ extensions, servers }) => (
        <div class="stack">
          <p class="muted">{t('extIntro')}</p>
          <Card title={t('extPlugins')}>
            <div class="field field-inline">
              <input id="ext-all-plugins" type="checkbox" role="switch" class="switch" checked={prefs.enable_all_plugins} onChange={(e) => onChange({ ...prefs, enable_all_plugins: (e.target as HTMLInputElement).checked })} />
              <label for="ext-all-plugins">{t('extAllPlugins')}</label>
            </div>
            {extensions.length === 0 ? (
              <p class="muted">{t('extNoPlugins')}</p>
            ) : (
              <ul class="pipeline-choices" aria-label={t('extPlugins')}>
                {extensions.map((e) => (
                  <li key={e.id}>
                    <label>
                      <input
                        type="checkbox"
                        disabled={prefs.enable_all_plugins}
                        checked={prefs.enable_all_plugins || prefs.bound_plugins.includes(e.id)}
                        onChange={(ev) => onChange({ ...prefs, bound_plugins: toggle(prefs.bound_plugins, e.id, (ev.target as HTMLInputElement).checked) })}
                      />{' '}
                      {l(e.display_name) || e.id} <code class="muted small">{e.id}</code>{' '}
                      <span class="muted small">{t('extTools', { n: e.contributes?.tools?.length ?? 0 })}</span>
                      {e.enabled === false ? <span class="badge badge-warn">{t('extDisabled')}</span> : null}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={t('extMcp')}>
            <div class="field field-inline">
              <input id="ext-all-mcp" type="checkbox" role="switch" class="switch" checked={prefs.enable_all_mcp_servers} onChange={(e) => onChange({ ...prefs, enable_all_mcp_servers: (e.target as HTMLInputElement).checked })} />
              <label for="ext-all-mcp">{t('extAllMcp')}</label>
            </div>
            {servers.length === 0 ? (
              <p class="muted">{t('extNoMcp')}</p>
            ) : (
              <ul class="pipeline-choices" aria-label={t('extMcp')}>
                {servers.map((s) => (
                  <li key={s.uuid}>
                    <label>
                      <input
                        type="checkbox"
                        disabled={prefs.enable_all_mcp_servers}
                        checked={prefs.enable_all_mcp_servers || prefs.bound_mcp_servers.includes(s.name)}
                        onChange={(ev) => onChange({ ...prefs, bound_mcp_servers: toggle(prefs.bound_mcp_servers, s.name, (ev.target as HTMLInputElement).checked) })}
                      />{' '}
                      {s.name}
                      {s.enable === false ? <span class="badge badge-warn">{t('extDisabled')}</span> : null}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </Loaded>
  );
}
