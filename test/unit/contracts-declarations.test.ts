import { describe, expect, it } from 'vitest';
import { RpcError } from '../../kernel/api/index.js';
import {
  NotSupportedError,
  PLATFORM_APIS,
  checkAdapterDeclarations,
  isNotSupportedError,
  type PlatformAdapterApi,
} from '../../sdk/contracts/index.js';

function makeAdapter() {
  return {
    send_message: async () => ({ message_id: 1 }),
    reply_message: async () => ({ message_id: 2 }),
    edit_message: async () => {},
    call_platform_api: async () => ({ ok: true }),
  } satisfies PlatformAdapterApi;
}

const manifest = () => ({
  supportedEvents: ['message.received', 'message.edited', 'platform.specific'],
  supportedApis: ['send_message', 'reply_message', 'edit_message', 'call_platform_api'],
  platformSpecificApis: ['pin_message'],
});

describe('checkAdapterDeclarations', () => {
  it('reports nothing when the declaration equals the implementation', () => {
    expect(checkAdapterDeclarations(manifest(), makeAdapter())).toEqual([]);
    expect(
      checkAdapterDeclarations(manifest(), makeAdapter(), { emittedEvents: ['message.received', 'platform.telegram.pin'] }),
    ).toEqual([]);
  });

  it('also reads methods from a class instance', () => {
    class Adapter {
      async send_message() {
        return {};
      }
      async reply_message() {
        return {};
      }
      async edit_message() {}
      async call_platform_api() {
        return {};
      }
    }
    expect(checkAdapterDeclarations(manifest(), new Adapter())).toEqual([]);
  });

  it('reports a declared API the implementation lacks', () => {
    const { edit_message: _dropped, ...adapter } = makeAdapter();
    const problems = checkAdapterDeclarations(manifest(), adapter);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/declares "edit_message".*no "edit_message" method/);
  });

  it('reports an implemented API the manifest does not declare', () => {
    const adapter = { ...makeAdapter(), kick_member: async () => {} };
    const problems = checkAdapterDeclarations(manifest(), adapter);
    expect(problems).toEqual([expect.stringMatching(/"kick_member" method, but supportedApis does not declare it/)]);
  });

  it('reports a missing required API even when undeclared', () => {
    const { reply_message: _dropped, ...adapter } = makeAdapter();
    expect(checkAdapterDeclarations(manifest(), adapter)).toContainEqual(expect.stringMatching(/required API "reply_message"/));
  });

  it('reports unknown event names, unknown API names and unreachable platform-specific APIs', () => {
    const problems = checkAdapterDeclarations(
      { supportedEvents: ['message.received', 'message.exploded'], supportedApis: ['send_message', 'reply_message', 'pin_message'], platformSpecificApis: ['unpin'] },
      { send_message: async () => ({}), reply_message: async () => ({}) },
    );
    expect(problems).toContainEqual(expect.stringMatching(/"message.exploded", which is not a unified event type/));
    expect(problems).toContainEqual(expect.stringMatching(/"pin_message", which is not a unified platform API/));
    expect(problems).toContainEqual(expect.stringMatching(/does not declare "call_platform_api"/));
    expect(problems).toHaveLength(3);
  });

  it('reports emitted events that are not declared', () => {
    const problems = checkAdapterDeclarations(
      { ...manifest(), supportedEvents: ['message.received'] },
      makeAdapter(),
      { emittedEvents: ['message.received', 'group.member_joined', 'platform.telegram.pin'] },
    );
    expect(problems).toEqual([
      expect.stringMatching(/emitted "group.member_joined"/),
      expect.stringMatching(/emitted "platform.telegram.pin", but supportedEvents does not declare "platform.specific"/),
    ]);
  });

  it('PLATFORM_APIS lists required and optional APIs', () => {
    expect(PLATFORM_APIS.slice(0, 2)).toEqual(['send_message', 'reply_message']);
    expect(PLATFORM_APIS).toContain('call_platform_api');
    expect(PLATFORM_APIS).toHaveLength(22);
  });
});

describe('NotSupportedError', () => {
  it('has the stable code NOT_SUPPORTED and details { api }', () => {
    const error = new NotSupportedError('mute_member');
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe('NOT_SUPPORTED');
    expect(error.details).toEqual({ api: 'mute_member' });
    expect(isNotSupportedError(error)).toBe(true);
  });

  it('survives RpcError.from and a trip over the wire', () => {
    const wrapped = RpcError.from(new NotSupportedError('kick_member'));
    expect(wrapped.code).toBe('NOT_SUPPORTED');
    expect(wrapped.details).toEqual({ api: 'kick_member' });

    const json = wrapped.toJSON();
    const back = RpcError.fromWire(wrapped.wireCode, json.message, { code: json.code, details: json.details });
    expect(isNotSupportedError(back)).toBe(true);
    expect(back.details).toEqual({ api: 'kick_member' });
  });
});
