/**
 * Event types as people read them: grouped by namespace (`message.*`, `group.*`…), with names in both languages, plus
 * the patterns a rule may use (`*`, `namespace.*`) and how the server matches them (sdk/contracts/event-patterns.ts).
 */
import { defineMessages } from '../../lib/i18n';
import type { EventRule } from './api';

const EN = {
  'ns.message': 'Messages',
  'ns.feedback': 'Feedback',
  'ns.group': 'Groups',
  'ns.friend': 'Friends',
  'ns.bot': 'The bot itself',
  'ns.platform': 'Platform-specific',
  'ns.all': 'All {namespace} events',
  '*': 'Every event',
  'message.received': 'Message received',
  'message.edited': 'Message edited',
  'message.deleted': 'Message deleted',
  'message.reaction': 'Reaction added or removed',
  'feedback.received': 'Feedback on a reply',
  'group.member_joined': 'Member joined',
  'group.member_left': 'Member left',
  'group.member_banned': 'Member banned',
  'group.member_unbanned': 'Member unbanned',
  'group.info_updated': 'Group info changed',
  'friend.request_received': 'Friend request',
  'friend.added': 'Friend added',
  'friend.removed': 'Friend removed',
  'bot.invited_to_group': 'Invited to a group',
  'bot.removed_from_group': 'Removed from a group',
  'bot.muted': 'Muted',
  'bot.unmuted': 'Unmuted',
  'platform.specific': 'Any platform-specific event',
};
type Key = keyof typeof EN;

const useEventT = defineMessages<Key>({
  en_US: EN,
  zh_Hans: {
    'ns.message': '消息',
    'ns.feedback': '反馈',
    'ns.group': '群组',
    'ns.friend': '好友',
    'ns.bot': '机器人自身',
    'ns.platform': '平台特有',
    'ns.all': '所有{namespace}事件',
    '*': '所有事件',
    'message.received': '收到消息',
    'message.edited': '消息被编辑',
    'message.deleted': '消息被撤回',
    'message.reaction': '表情回应',
    'feedback.received': '收到回复反馈',
    'group.member_joined': '成员入群',
    'group.member_left': '成员退群',
    'group.member_banned': '成员被禁言',
    'group.member_unbanned': '成员解除禁言',
    'group.info_updated': '群信息变更',
    'friend.request_received': '好友请求',
    'friend.added': '新增好友',
    'friend.removed': '好友被删除',
    'bot.invited_to_group': '被邀请入群',
    'bot.removed_from_group': '被移出群',
    'bot.muted': '被禁言',
    'bot.unmuted': '解除禁言',
    'platform.specific': '任意平台特有事件',
  },
});

const NAMESPACE_ORDER = ['message', 'feedback', 'group', 'friend', 'bot', 'platform'];
const known = (key: string): key is Key => key in EN;

export const ANY_EVENT = '*';

export interface EventGroup {
  namespace: string;
  label: string;
  /** `namespace.*` first (when it covers more than one type), then each type the adapter supports. */
  options: Array<{ value: string; label: string }>;
}

/** Readable names of event types and patterns, in the console's language. */
export function useEventNames() {
  const t = useEventT();
  const namespaceLabel = (ns: string) => (known(`ns.${ns}`) ? t(`ns.${ns}` as Key) : ns);
  const label = (type: string): string => {
    if (known(type)) return t(type);
    const ns = type.split('.')[0];
    if (type.endsWith('.*') && type.split('.').length === 2) return t('ns.all', { namespace: namespaceLabel(ns) });
    return type;
  };
  /** The adapter's supported events grouped by namespace. */
  const groups = (supported: readonly string[]): EventGroup[] => {
    const byNs = new Map<string, string[]>();
    for (const type of supported) {
      const ns = type.split('.')[0];
      byNs.set(ns, [...(byNs.get(ns) ?? []), type]);
    }
    const rank = (ns: string) => (NAMESPACE_ORDER.includes(ns) ? NAMESPACE_ORDER.indexOf(ns) : NAMESPACE_ORDER.length);
    return [...byNs.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([ns, types]) => ({
        namespace: ns,
        label: namespaceLabel(ns),
        options: [
          ...(types.length > 1 ? [{ value: `${ns}.*`, label: `${label(`${ns}.*`)} · ${ns}.*` }] : []),
          ...types.map((type) => ({ value: type, label: `${label(type)} · ${type}` })),
        ],
      }));
  };
  return { label, groups };
}

/** Same grammar the server checks (EventHandlerRuleSchema.event_type). */
export const EVENT_PATTERN = /^(\*|[a-z0-9_]+(\.[a-z0-9_-]+)*(\.\*)?)$/;

/** Whether a rule's pattern covers an event type (the server's matchesEventPattern). */
export function matchesPattern(pattern: string, type: string): boolean {
  if (pattern === ANY_EVENT) return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  if (pattern === type) return true;
  return pattern === 'platform.specific' && type.startsWith('platform.') && type !== 'platform.specific';
}

/** The rule that takes an event type: enabled, matching, highest priority, earliest on ties (the server's order). */
export function ruleFor(type: string, rules: readonly EventRule[]): EventRule | undefined {
  return rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled !== false && matchesPattern(rule.event_type, type))
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index)[0]?.rule;
}
