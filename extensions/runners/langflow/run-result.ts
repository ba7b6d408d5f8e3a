/**
 * The text of a finished run (`RunResponse`): `outputs[0].outputs[i]` are the flow's output components; a chat
 * output has its message under `results.message`, older versions and other outputs put it elsewhere.
 */

const get = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string | number, unknown>)[key] : undefined), value);

const firstText = (...candidates: unknown[]): string => (candidates.find((c) => typeof c === 'string' && c.trim() !== '') as string | undefined) ?? '';

export function runResultText(result: unknown): string {
  const components = get(result, 'outputs', 0, 'outputs');
  if (!Array.isArray(components)) return '';
  for (const component of components) {
    const text = firstText(
      get(component, 'results', 'message', 'text'),
      get(component, 'results', 'message', 'data', 'text'),
      get(component, 'results', 'text', 'text'),
      get(component, 'outputs', 'message', 'message'),
      get(component, 'messages', 0, 'message'),
      get(component, 'artifacts', 'message'),
    );
    if (text) return text;
  }
  return '';
}
