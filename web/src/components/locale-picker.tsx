import { LOCALES, type Locale } from '../lib/i18n';
import { useShellT } from '../shell-i18n';

export function LocalePicker({ locale, onLocale }: { locale: Locale; onLocale: (l: Locale) => void }) {
  const t = useShellT();
  return (
    <select class="locale-picker" aria-label={t('language')} value={locale} onChange={(e) => onLocale((e.target as HTMLSelectElement).value as Locale)}>
      {LOCALES.map((l) => (
        <option key={l.id} value={l.id}>
          {l.label}
        </option>
      ))}
    </select>
  );
}
