/**
 * The unified platform API an adapter implements. Each method takes one named-argument object (so it crosses RPC
 * unchanged, like every contribution implementation); the argument names are upstream's parameter names.
 * Optional APIs an adapter cannot offer are simply not implemented; callers get `NotSupportedError`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { RpcError, RpcErrorCode, type InvocationContext } from '../../kernel/api/index.js';
import { ChatTypeSchema, type Group, type GroupMember, type User } from './entities.js';
import type { MessageReceivedEvent } from './events.js';
import { IdSchema, MessageChainSchema } from './message-chain.js';

export const REQUIRED_PLATFORM_APIS = ['send_message', 'reply_message'] as const;
export const OPTIONAL_PLATFORM_APIS = [
  'edit_message',
  'delete_message',
  'forward_message',
  'get_message',
  'get_group_info',
  'get_group_list',
  'get_group_member_list',
  'get_group_member_info',
  'set_group_name',
  'mute_member',
  'unmute_member',
  'kick_member',
  'leave_group',
  'get_user_info',
  'get_friend_list',
  'approve_friend_request',
  'approve_group_invite',
  'upload_file',
  'get_file_url',
  'call_platform_api',
] as const;
/** Streaming is governed by the manifest's `streaming` flag rather than `supportedApis`. */
export const STREAMING_PLATFORM_APIS = ['reply_message_chunk', 'is_stream_output_supported'] as const;
export const PLATFORM_APIS = [...REQUIRED_PLATFORM_APIS, ...OPTIONAL_PLATFORM_APIS] as const;

export type RequiredPlatformApiName = (typeof REQUIRED_PLATFORM_APIS)[number];
export type OptionalPlatformApiName = (typeof OPTIONAL_PLATFORM_APIS)[number];
export type StreamingPlatformApiName = (typeof STREAMING_PLATFORM_APIS)[number];
export type PlatformApiName = (typeof PLATFORM_APIS)[number];

export function isPlatformApiName(name: string): name is PlatformApiName {
  return (PLATFORM_APIS as readonly string[]).includes(name);
}

const Obj = Type.Object;
const Opt = Type.Optional;
const inChat = { chat_type: ChatTypeSchema, chat_id: IdSchema, message_id: IdSchema };
const inGroup = { group_id: IdSchema };
const member = { group_id: IdSchema, user_id: IdSchema };
// Event arguments are checked as objects here; events themselves are validated where they enter the kernel.
const EventArg = Type.Unsafe<MessageReceivedEvent>(Type.Object({ type: Type.Literal('message.received') }));

/** Argument schemas of every platform API, so calls from untrusted code can be validated at the RPC boundary. */
export const PlatformApiParams = {
  send_message: Obj({ target_type: ChatTypeSchema, target_id: IdSchema, message: MessageChainSchema }),
  reply_message: Obj({ event: EventArg, message: MessageChainSchema, quote_origin: Opt(Type.Boolean()) }),
  edit_message: Obj({ ...inChat, new_content: MessageChainSchema }),
  delete_message: Obj(inChat),
  forward_message: Obj({
    from_chat_type: ChatTypeSchema,
    from_chat_id: IdSchema,
    message_id: IdSchema,
    to_chat_type: ChatTypeSchema,
    to_chat_id: IdSchema,
  }),
  get_message: Obj(inChat),
  get_group_info: Obj(inGroup),
  get_group_list: Obj({}),
  get_group_member_list: Obj(inGroup),
  get_group_member_info: Obj(member),
  set_group_name: Obj({ ...inGroup, name: Type.String() }),
  /** `duration` in seconds; 0 or absent means permanent. */
  mute_member: Obj({ ...member, duration: Opt(Type.Integer({ minimum: 0 })) }),
  unmute_member: Obj(member),
  kick_member: Obj(member),
  leave_group: Obj(inGroup),
  get_user_info: Obj({ user_id: IdSchema }),
  get_friend_list: Obj({}),
  approve_friend_request: Obj({ request_id: IdSchema, approve: Opt(Type.Boolean()), remark: Opt(Type.String()) }),
  approve_group_invite: Obj({ request_id: IdSchema, approve: Opt(Type.Boolean()) }),
  /** `file_data` is base64 (upstream passes bytes; JSON-RPC carries text). */
  upload_file: Obj({ file_data: Type.String({ contentEncoding: 'base64' }), filename: Type.String() }),
  get_file_url: Obj({ file_id: Type.String() }),
  call_platform_api: Obj({ action: Type.String({ minLength: 1 }), params: Opt(Type.Record(Type.String(), Type.Unknown())) }),
  reply_message_chunk: Obj({
    event: EventArg,
    /** The adapter's own handle for the reply being streamed, returned unchanged between chunks. */
    bot_message: Type.Record(Type.String(), Type.Unknown()),
    message: MessageChainSchema,
    quote_origin: Opt(Type.Boolean()),
    is_final: Opt(Type.Boolean()),
  }),
  is_stream_output_supported: Obj({}),
} satisfies Record<PlatformApiName | StreamingPlatformApiName, TSchema>;

export type PlatformApiArgs<K extends keyof typeof PlatformApiParams> = Static<(typeof PlatformApiParams)[K]>;

export const MessageResultSchema = Obj({
  /** The id of the sent message, when the platform returns one. */
  message_id: Opt(IdSchema),
  /** The platform's raw response. */
  raw: Opt(Type.Record(Type.String(), Type.Unknown())),
});
export type MessageResult = Static<typeof MessageResultSchema>;

// Same shape as a contribution `Implementation` method; implementations may ignore `ctx`.
type Api<K extends keyof typeof PlatformApiParams, R> = (args: PlatformApiArgs<K>, ctx: InvocationContext) => Promise<R>;

export type RequiredPlatformApi = {
  send_message: Api<'send_message', MessageResult>;
  reply_message: Api<'reply_message', MessageResult>;
};

export type OptionalPlatformApi = {
  edit_message: Api<'edit_message', void>;
  delete_message: Api<'delete_message', void>;
  forward_message: Api<'forward_message', MessageResult>;
  get_message: Api<'get_message', MessageReceivedEvent>;
  get_group_info: Api<'get_group_info', Group>;
  get_group_list: Api<'get_group_list', Group[]>;
  get_group_member_list: Api<'get_group_member_list', GroupMember[]>;
  get_group_member_info: Api<'get_group_member_info', GroupMember>;
  set_group_name: Api<'set_group_name', void>;
  mute_member: Api<'mute_member', void>;
  unmute_member: Api<'unmute_member', void>;
  kick_member: Api<'kick_member', void>;
  leave_group: Api<'leave_group', void>;
  get_user_info: Api<'get_user_info', User>;
  get_friend_list: Api<'get_friend_list', User[]>;
  approve_friend_request: Api<'approve_friend_request', void>;
  approve_group_invite: Api<'approve_group_invite', void>;
  /** Returns a file id or URL the platform can reference. */
  upload_file: Api<'upload_file', string>;
  get_file_url: Api<'get_file_url', string>;
  /** Passthrough to an adapter-specific action declared in the manifest's `platformSpecificApis`. */
  call_platform_api: Api<'call_platform_api', Record<string, unknown>>;
};

export type StreamingPlatformApi = {
  reply_message_chunk: Api<'reply_message_chunk', MessageResult | void>;
  is_stream_output_supported: Api<'is_stream_output_supported', boolean>;
};

/**
 * What an adapter implementation looks like: the two required methods, any optional ones it declares.
 * Check an object literal with `satisfies PlatformAdapterApi` and pass it to `ctx.provide('adapters', …)`.
 */
export type PlatformAdapterApi = RequiredPlatformApi & Partial<OptionalPlatformApi> & Partial<StreamingPlatformApi>;

/** An optional platform API the adapter does not offer. Crosses RPC with code `NOT_SUPPORTED` and `details.api`. */
export class NotSupportedError extends RpcError {
  constructor(readonly api: string) {
    super(RpcErrorCode.NotSupported, `API not supported by this adapter: ${api}`, { api });
    this.name = 'NotSupportedError';
  }
}

export function isNotSupportedError(error: unknown): error is RpcError {
  return RpcError.is(error, RpcErrorCode.NotSupported);
}
