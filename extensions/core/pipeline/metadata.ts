/**
 * Pipeline configuration metadata: every trigger / safety / ai / output field with its type, default and labels,
 * as config forms, so the console can generate the pipeline editor and the kernel can validate what is saved.
 * Runner sections (`ai.<runner>`) come from each runner contribution's own `config` form.
 */
import type { ConfigForm, FormField, I18nString } from '@langbot-ts/sdk';

const t = (en_US: string, zh_Hans: string): I18nString => ({ en_US, zh_Hans });
const bool = (title: I18nString, def: boolean, description?: I18nString): FormField => ({ type: 'boolean', title, default: def, ...(description ? { description } : {}) });
const int = (title: I18nString, def: number, min = 0, description?: I18nString): FormField => ({ type: 'integer', title, default: def, minimum: min, ...(description ? { description } : {}) });
const num = (title: I18nString, def: number, min: number, max: number): FormField => ({ type: 'number', title, default: def, minimum: min, maximum: max });
const text = (title: I18nString, def: string, description?: I18nString): FormField => ({ type: 'string', title, default: def, ...(description ? { description } : {}) });
const list = (title: I18nString, description?: I18nString): FormField => ({ type: 'array', title, default: [], items: { type: 'string', title }, widget: 'list', ...(description ? { description } : {}) });
const select = (title: I18nString, def: string, options: string[], labels: I18nString[]): FormField => ({ type: 'string', title, default: def, enum: options, enumLabels: labels, widget: 'select' });
const form = (properties: Record<string, FormField>): ConfigForm => ({ type: 'object', properties });

export interface StageMetadata {
  name: string;
  label: I18nString;
  description?: I18nString;
  form: ConfigForm;
}
export interface SectionMetadata {
  name: 'trigger' | 'safety' | 'ai' | 'output';
  label: I18nString;
  stages: StageMetadata[];
}

export const TRIGGER: SectionMetadata = {
  name: 'trigger',
  label: t('Trigger', '触发条件'),
  stages: [
    {
      name: 'group-respond-rules',
      label: t('Group response rules', '群响应规则'),
      description: t('In group chats the bot answers only when one of these rules matches.', '群聊中仅当满足任一规则时机器人才会回应。'),
      form: form({
        at: bool(t('Reply when mentioned', '被 @ 时回复'), false),
        prefix: list(t('Reply to messages starting with', '回复以下前缀开头的消息'), t('The prefix is removed before the message is handled.', '处理前会去掉前缀。')),
        regexp: list(t('Reply to messages matching', '回复匹配以下正则的消息')),
        random: num(t('Reply at random (probability)', '随机回复概率'), 0, 0, 1),
      }),
    },
    {
      name: 'access-control',
      label: t('Access control', '访问控制'),
      description: t('Entries: person_<id>, group_<id>, person_*, group_*, or *_<id>.', '条目格式：person_<id>、group_<id>、person_*、group_* 或 *_<id>。'),
      form: form({
        mode: select(t('Mode', '模式'), 'blacklist', ['blacklist', 'whitelist'], [t('Block listed', '黑名单'), t('Allow listed only', '白名单')]),
        blacklist: list(t('Blacklist', '黑名单')),
        whitelist: list(t('Whitelist', '白名单')),
      }),
    },
    {
      name: 'ignore-rules',
      label: t('Ignore rules', '消息忽略规则'),
      description: t('Messages matching these are ignored silently.', '匹配的消息将被静默忽略。'),
      form: form({ prefix: list(t('Ignore messages starting with', '忽略以下前缀开头的消息')), regexp: list(t('Ignore messages matching', '忽略匹配以下正则的消息')) }),
    },
    {
      name: 'message-aggregation',
      label: t('Message aggregation', '消息聚合'),
      description: t('Waits for the sender to finish and answers several quick messages at once.', '等待用户说完，把连续的多条消息合并后一起回复。'),
      form: form({
        enabled: bool(t('Enabled', '启用'), false),
        delay: { ...num(t('Wait (seconds)', '等待秒数'), 1.5, 0, 3600), description: t('Kept between 1 and 10 seconds.', '取值限制在 1 到 10 秒之间。') },
      }),
    },
    {
      name: 'misc',
      label: t('Miscellaneous', '杂项'),
      form: form({ 'combine-quote-message': bool(t('Include the quoted message', '合并引用的消息'), true) }),
    },
  ],
};

export const SAFETY: SectionMetadata = {
  name: 'safety',
  label: t('Safety', '安全'),
  stages: [
    {
      name: 'content-filter',
      label: t('Content filter', '内容过滤'),
      form: form({
        scope: select(t('Scope', '检查范围'), 'all', ['all', 'income-msg', 'output-msg'], [t('Incoming and outgoing', '收发消息'), t('Incoming only', '仅收到的消息'), t('Outgoing only', '仅发出的消息')]),
        'check-sensitive-words': bool(t('Check sensitive words', '检查敏感词'), false),
      }),
    },
    {
      name: 'rate-limit',
      label: t('Rate limit', '限速'),
      form: form({
        'window-length': int(t('Window (seconds)', '窗口长度（秒）'), 60, 1),
        limitation: int(t('Messages per window', '每窗口消息数'), 60, 1),
        strategy: select(t('When over the limit', '超出限制时'), 'drop', ['drop', 'wait'], [t('Drop the message', '丢弃消息'), t('Wait for the next window', '等待下一个窗口')]),
      }),
    },
  ],
};

export const OUTPUT: SectionMetadata = {
  name: 'output',
  label: t('Output', '输出'),
  stages: [
    {
      name: 'long-text-processing',
      label: t('Long text', '长文本处理'),
      form: form({
        threshold: int(t('Threshold (characters)', '阈值（字符）'), 1000, 1),
        strategy: select(t('Strategy', '策略'), 'none', ['forward', 'image', 'none'], [t('Send as forwarded message', '转发消息'), t('Render as image', '渲染为图片'), t('Send as is', '不处理')]),
        'font-path': text(t('Font file (for images)', '字体文件（图片用）'), ''),
      }),
    },
    {
      name: 'force-delay',
      label: t('Reply delay', '强制延迟'),
      description: t('A random delay between min and max seconds before each reply.', '每次回复前随机等待 min 到 max 秒。'),
      form: form({ min: int(t('Minimum (seconds)', '最小（秒）'), 0), max: int(t('Maximum (seconds)', '最大（秒）'), 0) }),
    },
    {
      name: 'misc',
      label: t('Miscellaneous', '杂项'),
      form: form({
        'exception-handling': select(t('When a request fails', '请求失败时'), 'show-hint', ['show-error', 'show-hint', 'hide'], [t('Show the error', '显示错误'), t('Show the hint', '显示提示'), t('Say nothing', '不回复')]),
        'failure-hint': text(t('Failure hint', '失败提示'), 'Request failed.'),
        'at-sender': bool(t('Mention the sender in groups', '群聊中 @ 发送者'), true),
        'quote-origin': bool(t('Quote the original message', '引用原消息'), false),
        'track-function-calls': bool(t('Tell the user about tool calls', '提示工具调用'), false),
        'remove-think': bool(t('Remove <think> blocks', '移除 <think> 内容'), false),
      }),
    },
  ],
};

export const RUNNER_STAGE: StageMetadata = {
  name: 'runner',
  label: t('Runner', '运行器'),
  form: form({
    runner: { type: 'string', title: t('Runner', '运行器'), default: 'local-agent', widget: 'select' },
    'expire-time': int(t('Conversation expires after idle (seconds, 0 = never)', '会话空闲过期时间（秒，0 表示永不）'), 0),
  }),
};

/** The ai section: the runner choice plus each runner contribution's config form. */
export function aiSection(runners: { id: string; displayName?: I18nString; config?: ConfigForm }[]): SectionMetadata {
  const choice: StageMetadata = structuredClone(RUNNER_STAGE);
  if (runners.length > 0) {
    choice.form.properties.runner.enum = runners.map((r) => r.id);
    choice.form.properties.runner.enumLabels = runners.map((r) => r.displayName ?? r.id);
  }
  return {
    name: 'ai',
    label: t('AI', 'AI 能力'),
    stages: [choice, ...runners.map((r) => ({ name: r.id, label: r.displayName ?? r.id, form: r.config ?? form({}) }))],
  };
}

export const FIXED_SECTIONS = [TRIGGER, SAFETY, OUTPUT];

/** One form for a whole pipeline config: sections → stages → fields. */
export function pipelineForm(sections: SectionMetadata[]): ConfigForm {
  const properties: Record<string, FormField> = {};
  for (const section of sections) {
    const stages: Record<string, FormField> = {};
    for (const stage of section.stages) stages[stage.name] = { type: 'object', title: stage.label, properties: stage.form.properties };
    properties[section.name] = { type: 'object', title: section.label, properties: stages };
  }
  return form(properties);
}
