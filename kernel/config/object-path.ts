export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function getPath(obj: unknown, path: readonly string[]): unknown {
  let node = obj;
  for (const key of path) node = isPlainObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
}

/** Copy of `obj` with `path` set to `value` (`undefined` deletes); only objects along the path are copied. */
export function setPath(obj: PlainObject, path: readonly string[], value: unknown): PlainObject {
  const [key, ...rest] = path;
  if (key === undefined || key === '__proto__') throw new Error(`Invalid settings path: "${path.join('.')}"`);
  const copy = { ...obj };
  if (rest.length > 0) copy[key] = setPath(isPlainObject(obj[key]) ? obj[key] : {}, rest, value);
  else if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}
