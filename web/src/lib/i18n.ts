/**
 * English and Simplified Chinese. Each page defines its own messages next to it (`defineMessages`), so pages stay
 * independent; the locale is chosen once for the whole console and remembered.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Locale = 'en_US' | 'zh_Hans';
export const LOCALES: Array<{ id: Locale; label: string }> = [
  { id: 'en_US', label: 'English' },
  { id: 'zh_Hans', label: '简体中文' },
];
const LOCALE_KEY = 'langbot.locale';

export function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en_US' || saved === 'zh_Hans') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh_Hans' : 'en_US';
}

export function saveLocale(locale: Locale): void {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale === 'zh_Hans' ? 'zh-Hans' : 'en';
}

export const LocaleContext = createContext<Locale>('en_US');
export const useLocale = () => useContext(LocaleContext);

type Vars = Record<string, string | number>;
const fill = (text: string, vars?: Vars) => (vars ? text.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all)) : text);

/** Messages of one page or component; the Chinese set must have every English key (the compiler checks). */
export function defineMessages<K extends string>(messages: { en_US: Record<K, string>; zh_Hans: Record<K, string> }) {
  return function useT() {
    const locale = useLocale();
    return (key: K, vars?: Vars) => fill(messages[locale][key] ?? messages.en_US[key] ?? key, vars);
  };
}

/** A manifest string: plain, or `{en_US, zh_Hans, …}`. */
export function localized(value: unknown, locale: Locale): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    const map = value as Record<string, string>;
    return map[locale] ?? map.en_US ?? Object.values(map)[0] ?? '';
  }
  return String(value);
}

export function useLocalized() {
  const locale = useLocale();
  return (value: unknown) => localized(value, locale);
}
