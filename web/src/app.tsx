/** The console: first-run setup or sign-in, then the navigation shell around the pages. */
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice, Loading, Toasts } from './components/ui';
import { api, session } from './lib/api';
import { LocaleContext, initialLocale, saveLocale, type Locale } from './lib/i18n';
import { LocalePicker } from './components/locale-picker';
import { href, match, navigate, usePath } from './lib/router';
import { useShellT } from './shell-i18n';
import { LoginPage } from './pages/auth/login';
import { SetupPage } from './pages/auth/setup';
import type { PageRoute } from './pages/types';
import { dashboardRoutes } from './pages/dashboard';
import { botRoutes } from './pages/bots';
import { pipelineRoutes } from './pages/pipelines';
import { modelRoutes } from './pages/models';
import { extensionRoutes } from './pages/extensions';
import { marketplaceRoutes } from './pages/marketplace';
import { mcpRoutes } from './pages/mcp';
import { monitoringRoutes } from './pages/monitoring';
import { logRoutes } from './pages/logs';
import { apiKeyRoutes } from './pages/api-keys';

const ROUTES: PageRoute[] = [
  ...dashboardRoutes,
  ...botRoutes,
  ...pipelineRoutes,
  ...modelRoutes,
  ...extensionRoutes,
  ...marketplaceRoutes,
  ...mcpRoutes,
  ...monitoringRoutes,
  ...logRoutes,
  ...apiKeyRoutes,
];

const NAV = [
  { path: '/', key: 'dashboard', icon: '◧' },
  { path: '/bots', key: 'bots', icon: '◉' },
  { path: '/pipelines', key: 'pipelines', icon: '⇶' },
  { path: '/models', key: 'models', icon: '◈' },
  { path: '/extensions', key: 'extensions', icon: '⬡' },
  { path: '/marketplace', key: 'marketplace', icon: '⊞' },
  { path: '/mcp', key: 'mcp', icon: '⌁' },
  { path: '/monitoring', key: 'monitoring', icon: '◔' },
  { path: '/logs', key: 'logs', icon: '≡' },
  { path: '/api-keys', key: 'apiKeys', icon: '✱' },
] as const;

type Stage = { kind: 'checking' } | { kind: 'down'; error: unknown } | { kind: 'setup' } | { kind: 'login' } | { kind: 'ready'; user: string };

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [stage, setStage] = useState<Stage>({ kind: 'checking' });

  const check = async () => {
    setStage({ kind: 'checking' });
    try {
      const info = await api.get<{ initialized: boolean }>('/api/v1/user/account-info');
      if (!info.initialized) return setStage({ kind: 'setup' });
      if (!session.token()) return setStage({ kind: 'login' });
      const fresh = await api.get<{ token: string }>('/api/v1/user/check-token');
      session.signIn(fresh.token);
      const me = await api.get<{ user: string }>('/api/v1/user/info');
      setStage({ kind: 'ready', user: me.user });
    } catch (error) {
      if (!session.token()) setStage({ kind: 'login' });
      else setStage({ kind: 'down', error });
    }
  };

  useEffect(() => {
    saveLocale(locale);
  }, [locale]);
  useEffect(() => {
    void check();
    return session.onSignOut(() => setStage({ kind: 'login' }));
  }, []);

  const changeLocale = (next: Locale) => setLocale(next);
  return (
    <LocaleContext.Provider value={locale}>
      {stage.kind === 'checking' ? <Loading /> : null}
      {stage.kind === 'down' ? <ServerDown error={stage.error} onRetry={check} /> : null}
      {stage.kind === 'setup' ? <SetupPage locale={locale} onLocale={changeLocale} onDone={() => setStage({ kind: 'login' })} /> : null}
      {stage.kind === 'login' ? <LoginPage locale={locale} onLocale={changeLocale} onSignedIn={() => void check()} /> : null}
      {stage.kind === 'ready' ? <Shell user={stage.user} locale={locale} onLocale={changeLocale} /> : null}
      <Toasts />
    </LocaleContext.Provider>
  );
}

function ServerDown({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useShellT();
  return (
    <main class="auth-page">
      <div class="auth-card">
        <h1>{t('serverDown')}</h1>
        <ErrorNotice error={error} onRetry={onRetry} />
      </div>
    </main>
  );
}

function Shell({ user, locale, onLocale }: { user: string; locale: Locale; onLocale: (l: Locale) => void }) {
  const t = useShellT();
  const path = usePath();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  let page = null;
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) {
      page = route.render(params);
      break;
    }
  }
  const section = '/' + (path.split('?')[0].split('/')[1] ?? '');
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skip')}
      </a>
      <header class="topbar">
        <button type="button" class="icon-btn menu-btn" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen(!menuOpen)}>
          ☰ <span class="sr-only">{t('menu')}</span>
        </button>
        <a class="brand" href={href('/')}>
          <span class="logo" aria-hidden="true">LB</span> LangBot
        </a>
        <div class="topbar-right">
          <LocalePicker locale={locale} onLocale={onLocale} />
          <span class="muted user" title={user}>{user}</span>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => { session.signOut(); navigate('/', { replace: true }); }}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <nav id="sidebar" class={menuOpen ? 'sidebar open' : 'sidebar'} aria-label={t('mainNav')}>
        <ul>
          {NAV.map((item) => {
            const active = item.path === '/' ? section === '/' : section === item.path;
            return (
              <li key={item.path}>
                <a href={href(item.path)} aria-current={active ? 'page' : undefined} class={active ? 'active' : undefined}>
                  <span class="nav-icon" aria-hidden="true">{item.icon}</span> {t(item.key)}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" class="content" tabIndex={-1}>
        {page ?? (
          <div class="state empty">
            <p>{t('notFound')}</p>
            <a href={href('/')}>{t('backHome')}</a>
          </div>
        )}
      </main>
    </div>
  );
}
