import { Type, type Static, type TArray, type TOptional, type TSchema } from '@sinclair/typebox';
import { ConfigForm } from './config-form.js';
import { I18nString } from './i18n.js';
import { Description, DisplayName, Id, StringEnum, Strict, Strings } from './schema-helpers.js';

const Config = Type.Optional(ConfigForm);

export const AdapterContribution = Strict({
  id: Id,
  displayName: DisplayName,
  description: Description,
  icon: Type.Optional(Type.String()),
  supportedEvents: Strings(),
  supportedApis: Strings(),
  platformSpecificApis: Type.Optional(Strings({ default: [] })),
  streaming: Type.Optional(Type.Boolean()),
  /** The adapter answers `handle_webhook` calls: platforms reach it at `/bots/<bot_uuid>[/<path>]`. */
  webhook: Type.Optional(Type.Boolean()),
  config: Config,
});

export const RunnerContribution = Strict({
  id: Id,
  displayName: DisplayName,
  description: Description,
  capabilities: Type.Optional(
    Strict({
      streaming: Type.Optional(Type.Boolean()),
      tools: Type.Optional(Type.Boolean()),
      vision: Type.Optional(Type.Boolean()),
    }),
  ),
  config: Config,
});

export const MODEL_TYPES = ['llm', 'embedding', 'rerank'] as const;

export const RequesterContribution = Strict({
  id: Id,
  displayName: DisplayName,
  description: Description,
  modelTypes: Type.Array(StringEnum(MODEL_TYPES), { minItems: 1, uniqueItems: true }),
  defaultBaseUrl: Type.Optional(Type.String()),
  config: Config,
});

export const TOOL_NAME_PATTERN = '^[a-zA-Z0-9_-]{1,64}$';

export const ToolContribution = Strict({
  name: Type.String({
    pattern: TOOL_NAME_PATTERN,
    'x-hint': "a tool name of 1 to 64 letters, digits, '_' or '-'",
  }),
  description: I18nString,
  parameters: Type.Object(
    { type: Type.Literal('object') },
    { additionalProperties: true, 'x-hint': "a JSON Schema object with \"type: 'object'\"" },
  ),
  llmPrompt: Type.Optional(Type.String()),
});

export const ToolLoaderContribution = Strict({ id: Id, displayName: DisplayName, description: Description });

export const SEARCH_TYPES = ['vector', 'full_text', 'hybrid'] as const;

export const VectorStoreContribution = Strict({
  id: Id,
  displayName: DisplayName,
  description: Description,
  searchTypes: Type.Array(StringEnum(SEARCH_TYPES), { uniqueItems: true }),
  config: Config,
});

/** `type` is the handler_type name a bot routes events to, e.g. pipeline, agent, webhook, plugin. */
export const EventHandlerContribution = Strict({
  type: Id,
  displayName: DisplayName,
  description: Description,
  config: Config,
});

export const StageContribution = Strict({
  id: Id,
  displayName: DisplayName,
  description: Description,
  after: Type.Optional(Type.Array(Id)),
  before: Type.Optional(Type.Array(Id)),
  config: Config,
});

export const BoxBackendContribution = Strict({
  id: Id,
  displayName: DisplayName,
  description: Description,
  config: Config,
});

const CommandName = Type.String({
  pattern: '^\\S{1,64}$',
  'x-hint': 'a command name of 1 to 64 characters without spaces',
});

const commandFields = {
  name: CommandName,
  description: I18nString,
  aliases: Type.Optional(Type.Array(CommandName)),
  usage: Type.Optional(Type.String()),
};

export const CommandContribution = Strict({
  ...commandFields,
  level: Type.Optional(StringEnum(['member', 'admin'] as const)),
  // One level of subcommands is enough for chat commands and keeps the schema free of recursive references.
  subcommands: Type.Optional(Type.Array(Strict(commandFields))),
});

export const ParserContribution = Strict({
  id: Id,
  displayName: DisplayName,
  mimeTypes: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
});

export const KnowledgeEngineContribution = Strict({
  id: Id,
  displayName: DisplayName,
  description: Description,
  capabilities: Strings(),
  creationSchema: Type.Optional(ConfigForm),
  retrievalSchema: Type.Optional(ConfigForm),
});

export const STORAGE_KINDS = ['files', 'persistence', 'kv'] as const;

export const StorageContribution = Strict({
  id: Id,
  displayName: DisplayName,
  kind: StringEnum(STORAGE_KINDS),
  config: Config,
});

export const PageContribution = Strict({
  id: Id,
  title: I18nString,
  path: Type.String({
    pattern: '^/[a-z0-9/_-]*$',
    'x-hint': "a URL path starting with '/' (lowercase letters, digits, '/', '_' or '-')",
  }),
  icon: Type.Optional(Type.String()),
  entry: Type.String({ minLength: 1 }),
});

/** `*`, `ns.*`, `ns.action` (namespaces may nest: `message.group.received`), or a legacy PascalCase event name. */
export const EVENT_PATTERN_SOURCE =
  '^(\\*|[a-z][a-zA-Z0-9_-]*(\\.[a-z][a-zA-Z0-9_-]*)*\\.(\\*|[a-z][a-zA-Z0-9_-]*)|[A-Z][A-Za-z0-9]*)$';

export const EventListenerContribution = Strict({
  events: Type.Array(
    Type.String({
      pattern: EVENT_PATTERN_SOURCE,
      'x-hint': "an event pattern: '*', 'namespace.*', 'namespace.action' or a legacy PascalCase event name",
    }),
    { minItems: 1 },
  ),
  priority: Type.Optional(Type.Integer({ default: 0 })),
});

export const CONTRIBUTION_SCHEMAS = {
  adapters: AdapterContribution,
  runners: RunnerContribution,
  requesters: RequesterContribution,
  tools: ToolContribution,
  toolLoaders: ToolLoaderContribution,
  vectorStores: VectorStoreContribution,
  eventHandlers: EventHandlerContribution,
  stages: StageContribution,
  boxBackends: BoxBackendContribution,
  commands: CommandContribution,
  parsers: ParserContribution,
  knowledgeEngines: KnowledgeEngineContribution,
  storage: StorageContribution,
  pages: PageContribution,
  eventListeners: EventListenerContribution,
} as const satisfies Record<string, TSchema>;

export type ContributionPoint = keyof typeof CONTRIBUTION_SCHEMAS;

export const CONTRIBUTION_POINTS = Object.keys(CONTRIBUTION_SCHEMAS) as ContributionPoint[];

type Points = typeof CONTRIBUTION_SCHEMAS;

export const Contributions = Type.Object(
  Object.fromEntries(CONTRIBUTION_POINTS.map((point) => [point, Type.Optional(Type.Array(CONTRIBUTION_SCHEMAS[point]))])) as {
    [P in ContributionPoint]: TOptional<TArray<Points[P]>>;
  },
  { additionalProperties: false, 'x-key-noun': 'contribution point' },
);

/** One declared contribution, as written (before defaults). */
export type ContributionInput<P extends ContributionPoint> = Static<Points[P]>;

/** Contributions after validation: defaults (`platformSpecificApis`, `priority`) are filled in. */
export type Contribution<P extends ContributionPoint> = P extends 'adapters'
  ? ContributionInput<P> & { platformSpecificApis: string[] }
  : P extends 'eventListeners'
    ? ContributionInput<P> & { priority: number }
    : ContributionInput<P>;

export type Contributions = { [P in ContributionPoint]?: Array<Contribution<P>> };

export type AdapterContribution = Contribution<'adapters'>;
export type RunnerContribution = Contribution<'runners'>;
export type RequesterContribution = Contribution<'requesters'>;
export type ToolContribution = Contribution<'tools'>;
export type ToolLoaderContribution = Contribution<'toolLoaders'>;
export type VectorStoreContribution = Contribution<'vectorStores'>;
export type EventHandlerContribution = Contribution<'eventHandlers'>;
export type StageContribution = Contribution<'stages'>;
export type BoxBackendContribution = Contribution<'boxBackends'>;
export type CommandContribution = Contribution<'commands'>;
export type ParserContribution = Contribution<'parsers'>;
export type KnowledgeEngineContribution = Contribution<'knowledgeEngines'>;
export type StorageContribution = Contribution<'storage'>;
export type PageContribution = Contribution<'pages'>;
export type EventListenerContribution = Contribution<'eventListeners'>;

/** Which field identifies an entry of a point; eventListeners entries have none. */
export const CONTRIBUTION_KEY_FIELD: Record<ContributionPoint, 'id' | 'name' | 'type' | undefined> = {
  adapters: 'id',
  runners: 'id',
  requesters: 'id',
  tools: 'name',
  toolLoaders: 'id',
  vectorStores: 'id',
  eventHandlers: 'type',
  stages: 'id',
  boxBackends: 'id',
  commands: 'name',
  parsers: 'id',
  knowledgeEngines: 'id',
  storage: 'id',
  pages: 'id',
  eventListeners: undefined,
};

/** The entry's id/name/type, or `#<index>` for points whose entries have no identifier. */
export function contributionKey(point: ContributionPoint, entry: unknown, index: number): string {
  const field = CONTRIBUTION_KEY_FIELD[point];
  const value = field && entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : `#${index}`;
}
