import type { PipelineSettings } from './stage.js';

const strings = (value: unknown, fallback: string[]): string[] => (Array.isArray(value) ? value.map(String) : fallback);

/** The extension's config (validated against its manifest form) as the stages use it. */
export function settingsFrom(config: Readonly<Record<string, unknown>>): PipelineSettings {
  return {
    commandEnable: config.commandEnable !== false,
    commandPrefix: strings(config.commandPrefix, ['!', '！']),
    admins: strings(config.admins, []),
    sensitiveWords: strings(config.sensitiveWords, []),
    mask: typeof config.mask === 'string' ? config.mask : '*',
    maskWord: typeof config.maskWord === 'string' ? config.maskWord : '',
    language: typeof config.language === 'string' ? config.language : 'en_US',
  };
}
