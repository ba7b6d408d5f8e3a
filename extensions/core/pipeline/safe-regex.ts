/**
 * Operator-configured regular expressions (trigger and ignore rules), compiled once and bounded as upstream bounds
 * them: at most 64 patterns of 1024 characters, checked against at most 1 MiB of text. A pattern that does not
 * compile never matches and is reported once.
 */
const MAX_PATTERNS = 64;
const MAX_PATTERN_LENGTH = 1024;
const MAX_INPUT = 1024 * 1024;

const compiled = new Map<string, RegExp | null>();

export function compile(pattern: string, onInvalid?: (pattern: string, reason: string) => void): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex !== undefined) return regex;
  if (pattern.length > MAX_PATTERN_LENGTH) {
    onInvalid?.(pattern, `longer than ${MAX_PATTERN_LENGTH} characters`);
    regex = null;
  } else {
    try {
      regex = new RegExp(pattern, 'u');
    } catch (error) {
      onInvalid?.(pattern, error instanceof Error ? error.message : String(error));
      regex = null;
    }
  }
  if (compiled.size > 4096) compiled.clear();
  compiled.set(pattern, regex);
  return regex;
}

/** Whether any pattern matches at the start of the text (upstream's `re.match`). */
export function anyMatches(patterns: readonly string[], text: string, onInvalid?: (pattern: string, reason: string) => void): boolean {
  if (text.length > MAX_INPUT) return false;
  for (const pattern of patterns.slice(0, MAX_PATTERNS)) {
    const regex = compile(pattern.startsWith('^') ? pattern : `^(?:${pattern})`, onInvalid);
    if (regex?.test(text)) return true;
  }
  return false;
}
