/** First run: the owner account. */
import { useState } from 'preact/hooks';
import { TextField } from '../../components/form';
import { Button, ErrorNotice, toast } from '../../components/ui';
import { LocalePicker } from '../../components/locale-picker';
import { api } from '../../lib/api';
import type { Locale } from '../../lib/i18n';
import { useAuthT } from './i18n';

export function SetupPage({ locale, onLocale, onDone }: { locale: Locale; onLocale: (l: Locale) => void; onDone: () => void }) {
  const t = useAuthT();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (password !== again) return setError(new Error(t('mismatch')));
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/user/init', { user, password });
      toast.ok(t('created'));
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="auth-page">
      <form class="auth-card" onSubmit={submit} aria-labelledby="setup-title" data-testid="setup-form">
        <div class="auth-head">
          <h1 id="setup-title">{t('setupTitle')}</h1>
          <LocalePicker locale={locale} onLocale={onLocale} />
        </div>
        <p class="muted">{t('setupIntro')}</p>
        <TextField id="setup-user" label={t('email')} type="email" value={user} onInput={setUser} required autoComplete="username" />
        <TextField id="setup-password" label={t('password')} type="password" value={password} onInput={setPassword} required hint={t('passwordHint')} autoComplete="new-password" />
        <TextField id="setup-again" label={t('passwordAgain')} type="password" value={again} onInput={setAgain} required autoComplete="new-password" />
        {error ? <ErrorNotice error={error} /> : null}
        <Button type="submit" variant="primary" busy={busy}>
          {busy ? t('creating') : t('create')}
        </Button>
      </form>
    </main>
  );
}
