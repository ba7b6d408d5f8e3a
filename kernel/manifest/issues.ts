/** One problem found in a manifest (or any validated document), pointing at the offending value. */
export interface ManifestIssue {
  /** The file (or other source name) the value came from. */
  file: string;
  /** JSON pointer to the offending value, e.g. `/contributes/adapters/0/id`; `''` is the root. */
  path: string;
  /** A plain sentence. */
  message: string;
}

export function formatIssue(issue: ManifestIssue): string {
  return `${issue.file}: ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`;
}

export function escapePointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + escapePointerSegment(s)).join('');
}

export function pointerSegments(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** How a message names the value at `path`: `'id'`, `'events[1]'`, or `'value'` for the root. */
export function subjectName(path: string): string {
  const segments = pointerSegments(path);
  let suffix = '';
  while (segments.length > 0 && /^\d+$/.test(segments[segments.length - 1])) {
    suffix = `[${segments.pop()}]` + suffix;
  }
  const name = segments.pop();
  if (name === undefined) return suffix === '' ? 'value' : `item ${suffix}`;
  return name + suffix;
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lowered = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === lowered ? 0 : levenshtein(lowered, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(1, Math.floor(Math.max(input.length, 3) / 3));
  return bestDistance <= tolerance ? best : undefined;
}

export function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}
