/** Small pieces the bots pages share: the adapter's icon, the running state, the enable switch, the copy button. */
import { useEffect, useState } from 'preact/hooks';
import { Badge, toast } from '../../components/ui';
import { localized } from '../../lib/i18n';
import type { Adapter, Bot } from './api';
import { botsApi } from './api';
import { useBotsT } from './i18n';

const PALETTE = ['#2563eb', '#0f766e', '#9333ea', '#c2410c', '#be123c', '#4d7c0f', '#0369a1', '#a16207'];

/** The adapter's icon when it has one (an image URL or an emoji), otherwise its initials on a steady colour. */
export function AdapterIcon({ adapter, name, size = 36 }: { adapter?: Adapter; name: string; size?: number }) {
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` };
  if (adapter?.icon && /^(https?:|data:|\/)/.test(adapter.icon)) return <img class="bot-icon" src={adapter.icon} alt="" style={style} />;
  const hash = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  // From the English label, so the initials stay the same in every language.
  const words = (adapter ? localized(adapter.label, 'en_US') : name).replace(/[^\p{L}\p{N} ]/gu, ' ').split(/\s+/).filter(Boolean);
  const initials = adapter?.icon && adapter.icon.length <= 2 ? adapter.icon : words.slice(0, 2).map((w) => w[0]).join('').toUpperCase() || '?';
  return (
    <span class="bot-icon" aria-hidden="true" style={{ ...style, background: PALETTE[hash % PALETTE.length] }}>
      {initials}
    </span>
  );
}

export function StatusBadge({ bot }: { bot: Bot }) {
  const t = useBotsT();
  const state = bot.status?.state ?? 'stopped';
  if (!bot.enable && state !== 'failed') return <Badge>{t('stateDisabled')}</Badge>;
  if (state === 'running') return <Badge tone="good">{t('stateRunning')}</Badge>;
  if (state === 'failed') return <Badge tone="bad" title={bot.status?.last_error}>{t('stateFailed')}</Badge>;
  return <Badge tone="warn">{t('stateStopped')}</Badge>;
}

/** Turns a bot on or off at once (the server starts or stops its adapter); shows the new position while it does. */
export function EnableSwitch({ bot, onChanged, id }: { bot: Bot; onChanged: (bot: Bot) => void; id: string }) {
  const t = useBotsT();
  const [wanted, setWanted] = useState<boolean | null>(null);
  useEffect(() => {
    if (wanted === bot.enable) setWanted(null);
  }, [bot.enable, wanted]);
  const toggle = async (enable: boolean) => {
    setWanted(enable);
    try {
      const next = await botsApi.update(bot.uuid, { enable });
      toast.ok(t(enable ? 'nowEnabled' : 'nowDisabled', { name: bot.name }));
      onChanged(next);
    } catch (error) {
      setWanted(null);
      toast.error(error);
    }
  };
  return (
    <label class="bot-switch" for={id}>
      <input id={id} type="checkbox" role="switch" class="switch" checked={wanted ?? bot.enable} disabled={wanted !== null} aria-label={t('enabledFor', { name: bot.name })} onChange={(e) => void toggle((e.target as HTMLInputElement).checked)} />
      <span aria-hidden="true">{t('enabled')}</span>
    </label>
  );
}

export function CopyButton({ text }: { text: string }) {
  const t = useBotsT();
  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else if (!legacyCopy(text)) throw new Error('copy refused');
      toast.ok(t('copied'));
    } catch {
      toast.error(t('copyFailed'));
    }
  };
  return (
    <button type="button" class="btn btn-secondary" onClick={() => void copy()}>
      {t('copy')}
    </button>
  );
}

/** Plain-HTTP pages on another host have no Clipboard API; the old selection-based copy still works there. */
function legacyCopy(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}
