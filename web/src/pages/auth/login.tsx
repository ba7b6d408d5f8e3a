/** Sign-in, and password recovery with the server's recovery key. */
import { useState } from 'preact/hooks';
import { TextField } from '../../components/form';
import { Button, ErrorNotice, toast } from '../../components/ui';
import { LocalePicker } from '../../components/locale-picker';
import { api, session } from '../../lib/api';
import type { Locale } from '../../lib/i18n';
import { useResource } from '../../lib/resource';
import { useAuthT } from './i18n';

export function LoginPage({ locale, onLocale, onSignedIn }: { locale: Locale; onLocale: (l: Locale) => void; onSignedIn: () => void }) {
  const t = useAuthT();
  const [mode, setMode] = useState<'login' | 'reset'>('login');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [recoveryKey, setRecoveryKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const info = useResource(() => api.get<{ recovery_enabled?: boolean }>('/api/v1/user/account-info'), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') {
        const { token } = await api.post<{ token: string }>('/api/v1/user/auth', { user, password });
        session.signIn(token);
        onSignedIn();
      } else {
        await api.post('/api/v1/user/reset-password', { user, recovery_key: recoveryKey, new_password: password });
        toast.ok(t('resetDone'));
        setMode('login');
        setPassword('');
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const title = mode === 'login' ? t('loginTitle') : t('resetTitle');
  return (
    <main class="auth-page">
      <form class="auth-card" onSubmit={submit} aria-labelledby="login-title" data-testid={`${mode}-form`}>
        <div class="auth-head">
          <h1 id="login-title">{title}</h1>
          <LocalePicker locale={locale} onLocale={onLocale} />
        </div>
        {mode === 'reset' ? <p class="muted">{info.data?.recovery_enabled === false ? t('resetDisabled') : t('resetIntro')}</p> : null}
        <TextField id="login-user" label={t('email')} type="email" value={user} onInput={setUser} required autoComplete="username" />
        {mode === 'reset' ? <TextField id="login-recovery" label={t('recoveryKey')} type="password" value={recoveryKey} onInput={setRecoveryKey} required autoComplete="off" /> : null}
        <TextField id="login-password" label={mode === 'login' ? t('password') : t('newPassword')} type="password" value={password} onInput={setPassword} required autoComplete={mode === 'login' ? 'current-password' : 'new-password'} />
        {error ? <ErrorNotice error={error} /> : null}
        <Button type="submit" variant="primary" busy={busy}>
          {mode === 'login' ? (busy ? t('signingIn') : t('signIn')) : t('reset')}
        </Button>
        <button type="button" class="link-btn" onClick={() => { setMode(mode === 'login' ? 'reset' : 'login'); setError(null); }}>
          {mode === 'login' ? t('forgot') : t('back')}
        </button>
      </form>
    </main>
  );
}
