import type { MessageChain, MessageComponent } from './message-chain.js';

export type ChainPart = string | MessageComponent | readonly MessageComponent[];

/** Builds a chain; strings become `Plain` components and nested arrays are flattened. */
export function chain(...parts: ChainPart[]): MessageChain {
  const out: MessageChain = [];
  for (const part of parts) {
    if (typeof part === 'string') out.push({ type: 'Plain', text: part });
    else if (Array.isArray(part)) out.push(...(part as readonly MessageComponent[]));
    else out.push(part as MessageComponent);
  }
  return out;
}

/**
 * The readable text of a chain, as a trigger or a model would see it. `Source`, `Quote` (the quoted message is not
 * part of this one), `Unknown` and `Platform` contribute nothing; media become short placeholders.
 */
export function plainText(chain: MessageChain): string {
  return chain.map(componentText).join('');
}

function componentText(component: MessageComponent): string {
  switch (component.type) {
    case 'Plain':
      return component.text;
    case 'At':
      return `@${component.display || String(component.target)}`;
    case 'AtAll':
      return '@All';
    case 'Image':
      return '[Image]';
    case 'Voice':
      return '[Voice]';
    case 'File':
      return `[File]${component.name ?? ''}`;
    case 'Forward':
      return '[Chat history]';
    case 'Face':
      return component.face_name ? `[${component.face_name}]` : '[Face]';
    default:
      return '';
  }
}

/** The first component of a type, e.g. `firstOf(chain, 'Source')?.id`. */
export function firstOf<T extends MessageComponent['type']>(
  chain: MessageChain,
  type: T,
): Extract<MessageComponent, { type: T }> | undefined {
  return chain.find((c): c is Extract<MessageComponent, { type: T }> => c.type === type);
}
