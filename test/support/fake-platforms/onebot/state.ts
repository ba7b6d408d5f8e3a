/**
 * What the fake OneBot implementation knows and how it answers actions, as NapCat does: messages it has seen (so
 * `get_msg` works for both the user's and the bot's messages), a small friend and group roster, and a record of
 * every action. Unknown actions answer `retcode` 1404.
 */
export interface Segment {
  type: string;
  data: Record<string, unknown>;
}

export interface StoredMessage {
  message_id: number;
  message_type: 'private' | 'group';
  user_id: number;
  group_id?: number;
  /** For messages the bot sent: the chat they went to. */
  target?: number;
  message: Segment[] | string;
  time: number;
  from_bot: boolean;
  deleted?: boolean;
  forward?: boolean;
}

export interface ActionRecord {
  action: string;
  params: Record<string, unknown>;
}

export class ActionFailure extends Error {
  constructor(
    readonly retcode: number,
    message: string,
  ) {
    super(message);
  }
}

export const FRIENDS = [
  { user_id: 10001, nickname: 'Alice', remark: 'alice' },
  { user_id: 10002, nickname: 'Bob', remark: '' },
];
export const GROUPS = [{ group_id: 20001, group_name: 'Test group', member_count: 3, max_member_count: 200 }];
export const MEMBERS = [
  { group_id: 20001, user_id: 10001, nickname: 'Alice', card: 'Alice in group', role: 'owner', title: 'Boss', join_time: 1_700_000_000, sex: 'unknown', age: 0 },
  { group_id: 20001, user_id: 10002, nickname: 'Bob', card: '', role: 'member', title: '', join_time: 1_700_000_100, sex: 'unknown', age: 0 },
];

const now = () => Math.floor(Date.now() / 1000);

export function segmentText(message: Segment[] | string): string {
  if (typeof message === 'string') return message.replace(/\[CQ:[^\]]*\]/g, '');
  return message.filter((s) => s.type === 'text').map((s) => String(s.data.text ?? '')).join('');
}

export class FakeState {
  readonly actions: ActionRecord[] = [];
  readonly messages = new Map<number, StoredMessage>();
  /** Actions that answer 1404, as an implementation without them would. */
  readonly unsupported = new Set<string>();
  private nextId = 1000;

  constructor(readonly selfId: number) {}

  newMessageId(): number {
    return ++this.nextId;
  }

  remember(message: StoredMessage): void {
    this.messages.set(message.message_id, message);
  }

  /** The bot's messages, oldest first. */
  botMessages(): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.from_bot);
  }

  calls(action: string): ActionRecord[] {
    return this.actions.filter((a) => a.action === action);
  }

  handle(action: string, params: Record<string, unknown>): unknown {
    this.actions.push({ action, params });
    if (this.unsupported.has(action)) throw new ActionFailure(1404, 'API not found');
    const id = (key: string) => {
      const value = Number(params[key]);
      if (!Number.isInteger(value)) throw new ActionFailure(100, `${key} is missing or not a number`);
      return value;
    };
    switch (action) {
      case 'send_private_msg':
        return this.send('private', id('user_id'), params.message);
      case 'send_group_msg':
        return this.send('group', id('group_id'), params.message);
      case 'send_msg':
        return params.message_type === 'group' || params.group_id !== undefined ? this.send('group', id('group_id'), params.message) : this.send('private', id('user_id'), params.message);
      case 'send_group_forward_msg':
      case 'send_private_forward_msg': {
        if (!Array.isArray(params.messages) || params.messages.length === 0) throw new ActionFailure(100, 'messages is empty');
        const message_id = this.newMessageId();
        const group = action === 'send_group_forward_msg';
        this.remember({ message_id, message_type: group ? 'group' : 'private', user_id: this.selfId, target: id(group ? 'group_id' : 'user_id'), message: params.messages as Segment[], time: now(), from_bot: true, forward: true });
        return { message_id, forward_id: `fwd-${message_id}` };
      }
      case 'delete_msg': {
        const message = this.messages.get(id('message_id'));
        if (!message || message.deleted) throw new ActionFailure(100, 'message not found');
        message.deleted = true;
        return null;
      }
      case 'get_msg': {
        const message = this.messages.get(id('message_id'));
        if (!message) throw new ActionFailure(100, 'message not found');
        const member = MEMBERS.find((m) => m.user_id === message.user_id);
        return {
          time: message.time,
          message_type: message.message_type,
          message_id: message.message_id,
          real_id: message.message_id,
          user_id: message.user_id,
          ...(message.message_type === 'group' ? { group_id: message.group_id ?? message.target } : {}),
          sender: { user_id: message.user_id, nickname: member?.nickname ?? (message.from_bot ? 'FakeBot' : 'someone') },
          message: message.message,
          raw_message: segmentText(message.message),
        };
      }
      case 'get_forward_msg': {
        const message = this.messages.get(Number(String(params.id ?? params.message_id).replace(/^fwd-/, '')));
        if (!message?.forward) throw new ActionFailure(100, 'forward not found');
        return { messages: message.message };
      }
      case 'get_login_info':
        return { user_id: this.selfId, nickname: 'FakeBot' };
      case 'get_status':
        return { online: true, good: true };
      case 'get_version_info':
        return { app_name: 'FakeNapCat', app_version: '0.0.1', protocol_version: 'v11' };
      case 'get_stranger_info': {
        const user = id('user_id');
        return { user_id: user, nickname: FRIENDS.find((f) => f.user_id === user)?.nickname ?? `user${user}`, sex: 'unknown', age: 0 };
      }
      case 'get_friend_list':
        return FRIENDS;
      case 'get_group_info': {
        const group = GROUPS.find((g) => g.group_id === id('group_id'));
        if (!group) throw new ActionFailure(100, 'group not found');
        return group;
      }
      case 'get_group_list':
        return GROUPS;
      case 'get_group_member_info': {
        const member = MEMBERS.find((m) => m.group_id === id('group_id') && m.user_id === id('user_id'));
        if (!member) throw new ActionFailure(100, 'member not found');
        return member;
      }
      case 'get_group_member_list':
        return MEMBERS.filter((m) => m.group_id === id('group_id'));
      case 'get_group_honor_info':
        return { group_id: id('group_id'), current_talkative: { user_id: 10001, nickname: 'Alice', avatar: '', day_count: 2 } };
      case 'get_record':
        return { file: `/data/record/${String(params.file)}.${String(params.out_format ?? 'mp3')}` };
      case 'get_image':
        return { file: `/data/image/${String(params.file)}` };
      case 'can_send_image':
      case 'can_send_record':
        return { yes: true };
      case 'set_group_name':
      case 'set_group_ban':
      case 'set_group_kick':
      case 'set_group_leave':
      case 'set_group_card':
      case 'set_group_special_title':
      case 'set_group_admin':
      case 'set_group_whole_ban':
      case 'set_friend_add_request':
      case 'set_group_add_request':
        return null;
      default:
        throw new ActionFailure(1404, 'API not found');
    }
  }

  private send(type: 'private' | 'group', target: number, message: unknown): { message_id: number } {
    const empty = message === undefined || message === '' || (Array.isArray(message) && message.length === 0);
    if (empty) throw new ActionFailure(100, 'message is empty');
    const message_id = this.newMessageId();
    this.remember({ message_id, message_type: type, user_id: this.selfId, target, ...(type === 'group' ? { group_id: target } : {}), message: message as Segment[] | string, time: now(), from_bot: true });
    return { message_id };
  }
}
