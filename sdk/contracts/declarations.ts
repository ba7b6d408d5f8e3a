/**
 * "What a manifest declares must equal what the code implements" for adapters. An adapter's own test calls
 * `checkAdapterDeclarations(manifestEntry, implementation)` and expects an empty list.
 */
import { isEventType } from './events.js';
import {
  OPTIONAL_PLATFORM_APIS,
  REQUIRED_PLATFORM_APIS,
  STREAMING_PLATFORM_APIS,
} from './platform-api.js';

export interface AdapterDeclarations {
  supportedEvents: string[];
  supportedApis: string[];
  platformSpecificApis?: string[];
}

export interface DeclarationCheckOptions {
  /** Event type names the adapter was seen emitting (e.g. in its tests); each must be declared. */
  emittedEvents?: string[];
}

const TYPED_PLATFORM_EVENT = /^platform\.[^.]+\.[^.]+$/;
const KNOWN_APIS = new Set<string>([...REQUIRED_PLATFORM_APIS, ...OPTIONAL_PLATFORM_APIS, ...STREAMING_PLATFORM_APIS]);

const isKnownEventName = (name: string) => isEventType(name) || TYPED_PLATFORM_EVENT.test(name);
const list = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** Returns one plain sentence per mismatch; an empty list means the declaration equals the implementation. */
export function checkAdapterDeclarations(
  manifestEntry: AdapterDeclarations,
  implementation: object,
  options: DeclarationCheckOptions = {},
): string[] {
  const problems: string[] = [];
  const implemented = (name: string) => typeof (implementation as Record<string, unknown>)[name] === 'function';
  const declaredApis = new Set(manifestEntry.supportedApis);
  const declaredEvents = new Set(manifestEntry.supportedEvents);

  for (const api of REQUIRED_PLATFORM_APIS) {
    if (!implemented(api)) problems.push(`The adapter does not implement the required API "${api}".`);
  }

  const unknownApis = manifestEntry.supportedApis.filter((api) => !KNOWN_APIS.has(api));
  if (unknownApis.length > 0) {
    problems.push(
      `supportedApis lists ${list(unknownApis)}, which ${unknownApis.length === 1 ? 'is not a unified platform API' : 'are not unified platform APIs'}; declare adapter-specific actions under platformSpecificApis and reach them through call_platform_api.`,
    );
  }

  for (const api of manifestEntry.supportedApis) {
    if (KNOWN_APIS.has(api) && !implemented(api)) {
      problems.push(`supportedApis declares "${api}", but the implementation has no "${api}" method.`);
    }
  }

  for (const api of OPTIONAL_PLATFORM_APIS) {
    if (implemented(api) && !declaredApis.has(api)) {
      problems.push(`The implementation has a "${api}" method, but supportedApis does not declare it.`);
    }
  }

  const specific = manifestEntry.platformSpecificApis ?? [];
  if (specific.length > 0 && !declaredApis.has('call_platform_api')) {
    problems.push(
      `platformSpecificApis lists ${list(specific)}, but supportedApis does not declare "call_platform_api", the only way to reach them.`,
    );
  }

  for (const event of manifestEntry.supportedEvents) {
    if (!isKnownEventName(event)) problems.push(`supportedEvents lists "${event}", which is not a unified event type.`);
  }

  for (const event of new Set(options.emittedEvents ?? [])) {
    // Typed platform names (platform.telegram.pin) are covered by declaring platform.specific.
    const declaredAs = TYPED_PLATFORM_EVENT.test(event) && !declaredEvents.has(event) ? 'platform.specific' : event;
    if (!declaredEvents.has(declaredAs)) {
      problems.push(`The adapter emitted "${event}", but supportedEvents does not declare "${declaredAs}".`);
    }
  }

  return problems;
}
