/** The kinds of extension `langbot-ext create` can start, and what each needs. */
export const KINDS = ['tool', 'command', 'event-listener', 'event-handler', 'adapter', 'runner', 'requester', 'page'] as const;
export type Kind = (typeof KINDS)[number];

export const ISOLATION_CHOICES = ['process', 'worker', 'isolate'] as const;
export type IsolationChoice = (typeof ISOLATION_CHOICES)[number];

interface KindInfo {
  /** One line for the README and the manifest description. */
  summary: { en_US: string; zh_Hans: string };
  /** How to try it, for the README. */
  tryIt: string;
  /** The template calls the network or Node APIs, which a V8 isolate does not have. */
  needsNode?: true;
  /** Pages are static files: no entry, nothing to bundle, no host. */
  noCode?: true;
}

export const KIND_INFO: Record<Kind, KindInfo> = {
  tool: {
    summary: { en_US: 'A tool the model can call.', zh_Hans: '一个可供模型调用的工具。' },
    tryIt: 'Ask the bot something that makes the model call the tool; `index.test.ts` does this with a fake model.',
  },
  command: {
    summary: { en_US: 'A chat command (`!name`).', zh_Hans: '一个聊天命令（`!命令名`）。' },
    tryIt: 'Send `!{{key}} something` to a bot.',
  },
  'event-listener': {
    summary: { en_US: 'Listens to messages and answers some of them itself.', zh_Hans: '监听消息，并自行回复其中一部分。' },
    tryIt: 'Send `ping` to a bot: the listener answers `pong` before the model is asked.',
  },
  'event-handler': {
    summary: { en_US: 'An event handler a bot can route events to.', zh_Hans: '一个机器人可将事件路由到的事件处理器。' },
    tryIt: "Add a rule to a bot's event handlers with handler type `{{key}}`.",
  },
  adapter: {
    summary: { en_US: 'Connects bots to a platform over HTTP (webhook in, callback out).', zh_Hans: '通过 HTTP 把机器人接入平台（Webhook 接收，回调发送）。' },
    tryIt: 'Create a bot on the `{{key}}` adapter and POST `{"user": "alice", "text": "hi"}` to `<LangBot URL>/bots/<bot uuid>`.',
    needsNode: true,
  },
  runner: {
    summary: { en_US: 'A runner that answers messages instead of the built-in agent.', zh_Hans: '一个代替内置 Agent 回复消息的运行器。' },
    tryIt: "Choose the runner `{{key}}` in a pipeline's AI settings.",
  },
  requester: {
    summary: { en_US: 'Talks to a model provider with an OpenAI-compatible API.', zh_Hans: '对接提供 OpenAI 兼容 API 的模型供应商。' },
    tryIt: 'Add a model provider that uses the requester `{{key}}`.',
    needsNode: true,
  },
  page: {
    summary: { en_US: 'A page for the web console.', zh_Hans: '一个 Web 控制台页面。' },
    tryIt: 'Edit `pages/index.html`.',
    noCode: true,
  },
};
