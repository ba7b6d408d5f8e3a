/**
 * Message chain → OneBot segments (always the array format, so text never needs CQ escaping).
 *
 * Media go in the segment's `file` parameter as the implementation accepts it: `http(s)://` URLs, `file://`
 * paths (on the implementation's machine) and `base64://` content. Files use the `file` segment that NapCat and
 * Lagrange accept on send, rather than `upload_*_file`, which needs a path on the implementation's disk.
 * A Quote becomes a leading `reply` segment; Forward components are sent separately (see `splitForwards`).
 */
import { RpcError, RpcErrorCode, plainText, type Forward, type MessageChain, type MessageComponent } from '@langbot-ts/sdk';
import { isSegment, type Segment } from './segments.js';

/** Platform components addressed to this adapter carry a raw OneBot segment. */
export const PLATFORM_NAMES = new Set(['aiocqhttp', 'onebot']);

const invalid = (message: string) => new RpcError(RpcErrorCode.ValidationFailed, message);

/** The `file` parameter for a media component, or undefined when it names no content. */
export function mediaFile(media: { url?: string; path?: string; base64?: string }, id?: string): string | undefined {
  if (media.base64) {
    const comma = media.base64.indexOf(',');
    const payload = media.base64.startsWith('data:') && comma >= 0 ? media.base64.slice(comma + 1) : media.base64.replace(/^base64:\/\//, '');
    return `base64://${payload}`;
  }
  if (media.url) return media.url;
  if (media.path) return /^file:\/\//i.test(media.path) ? media.path : `file://${media.path.startsWith('/') ? '' : '/'}${media.path.replace(/\\/g, '/')}`;
  return id;
}

export function chainToSegments(chain: MessageChain): Segment[] {
  const replies: Segment[] = [];
  const body: Segment[] = [];
  for (const component of chain) {
    const segment = componentToSegment(component);
    if (!segment) continue;
    (segment.type === 'reply' ? replies : body).push(segment);
  }
  // QQ shows a quote only when the reply segment comes first; one quote per message.
  return [...replies.slice(0, 1), ...body];
}

function componentToSegment(component: MessageComponent): Segment | undefined {
  switch (component.type) {
    case 'Source':
      return undefined;
    case 'Plain':
      return component.text ? { type: 'text', data: { text: component.text } } : undefined;
    case 'At':
      return { type: 'at', data: { qq: String(component.target) } };
    case 'AtAll':
      return { type: 'at', data: { qq: 'all' } };
    case 'Image': {
      const file = mediaFile(component, component.image_id);
      if (!file) throw invalid('An Image needs a url, path, base64 data or image_id.');
      return { type: 'image', data: { file } };
    }
    case 'Voice': {
      const file = mediaFile(component, component.voice_id);
      if (!file) throw invalid('A Voice needs a url, path, base64 data or voice_id.');
      return { type: 'record', data: { file } };
    }
    case 'File': {
      const file = mediaFile(component, component.id);
      if (!file) throw invalid('A File needs a url, path, base64 data or id.');
      return { type: 'file', data: component.name ? { file, name: component.name } : { file } };
    }
    case 'Face':
      if (component.face_type === 'dice' || component.face_type === 'rps') return { type: component.face_type, data: {} };
      if (component.face_id === undefined) return undefined;
      return { type: 'face', data: { id: String(component.face_id) } };
    case 'Quote':
      return component.id === undefined ? undefined : { type: 'reply', data: { id: String(component.id) } };
    case 'Forward':
      // Sent through the forward actions; a Forward left in a chain is flattened to text.
      return { type: 'text', data: { text: flattenForward(component) } };
    case 'Unknown':
      // A segment this adapter received and could not map goes back as it came (cards, pokes, …).
      return isSegment(component.raw) ? { type: component.raw.type, data: { ...(component.raw.data ?? {}) } } : undefined;
    case 'Platform':
      return PLATFORM_NAMES.has(component.platform) ? { type: component.component_type, data: { ...(component.data ?? {}) } } : undefined;
    default:
      return undefined;
  }
}

/** Splits Forward components from the rest: each Forward is sent as its own merged-forward message. */
export function splitForwards(chain: MessageChain): { rest: MessageChain; forwards: Forward[] } {
  const forwards = chain.filter((c): c is Forward => c.type === 'Forward');
  return { rest: chain.filter((c) => c.type !== 'Forward'), forwards };
}

/** The `messages` node list of `send_group_forward_msg` / `send_private_forward_msg`. */
export function forwardNodes(forward: Forward, fallbackSender: { id: string; name: string }): Segment[] {
  return forward.node_list.map((node) => ({
    type: 'node',
    data: {
      user_id: String(node.sender_id ?? fallbackSender.id),
      nickname: node.sender_name ?? fallbackSender.name,
      content: chainToSegments(node.message_chain),
    },
  }));
}

/** Text for implementations without the forward actions: one "name: text" line per node. */
export function flattenForward(forward: Forward): string {
  const lines = forward.node_list.map((node) => {
    const name = node.sender_name ?? (node.sender_id === undefined ? '' : String(node.sender_id));
    return `${name ? `${name}: ` : ''}${plainText(node.message_chain)}`;
  });
  const title = forward.display?.title;
  return [...(title ? [`[${title}]`] : []), ...lines].join('\n');
}
