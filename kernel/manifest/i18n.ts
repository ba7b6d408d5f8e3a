import { Type } from '@sinclair/typebox';

export const DEFAULT_LOCALE = 'en_US';
export const LOCALE_PATTERN = '^[a-z]{2}_[A-Za-z]{2,4}$';

export interface I18nText {
  en_US: string;
  zh_Hans?: string;
  [locale: string]: string | undefined;
}

/** A plain string, or translations keyed by locale (`en_US` is required). */
export type I18nString = string | I18nText;

export const I18nString = Type.Unsafe<I18nString>(
  Type.Union(
    [
      Type.String(),
      Type.Object(
        { en_US: Type.String(), zh_Hans: Type.Optional(Type.String()) },
        {
          patternProperties: { [LOCALE_PATTERN]: { type: 'string' } },
          additionalProperties: false,
          'x-key-noun': 'locale',
        },
      ),
    ],
    { 'x-hint': "a string or an object of translations with at least an 'en_US' key" },
  ),
);

/**
 * Picks the text for `locale`, falling back to another region of the same language
 * (zh_Hant → zh_Hans), then to en_US.
 */
export function localize(value: I18nString | undefined, locale: string = DEFAULT_LOCALE): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const exact = value[locale];
  if (exact !== undefined) return exact;
  const language = locale.split('_')[0];
  for (const [key, text] of Object.entries(value)) {
    if (text !== undefined && key.split('_')[0] === language) return text;
  }
  return value.en_US ?? '';
}
