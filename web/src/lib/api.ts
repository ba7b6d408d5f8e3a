/** The console's only way to the server: the `{code, msg, data}` envelope unwrapped, the sign-in token attached. */
const TOKEN_KEY = 'langbot.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | number,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const unauthorizedListeners = new Set<() => void>();

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  signIn(token: string) {
    localStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    localStorage.removeItem(TOKEN_KEY);
    for (const listener of unauthorizedListeners) listener();
  },
  /** Called when the server no longer accepts the token (expired, secret rotated). */
  onSignOut(listener: () => void): () => void {
    unauthorizedListeners.add(listener);
    return () => unauthorizedListeners.delete(listener);
  },
};

type Body = unknown;

async function request<T>(method: string, path: string, body?: Body): Promise<T> {
  const headers: Record<string, string> = {};
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Is LangBot running?');
  }
  let envelope: { code?: string | number; msg?: string; data?: unknown; request_id?: string };
  try {
    envelope = await response.json();
  } catch {
    throw new ApiError(response.status, 'bad_response', `The server answered HTTP ${response.status} without a readable body.`);
  }
  if (!response.ok || envelope.code !== 0) {
    if (response.status === 401 && token) session.signOut();
    throw new ApiError(response.status, envelope.code ?? response.status, envelope.msg ?? `HTTP ${response.status}`, envelope.request_id);
  }
  return envelope.data as T;
}

export const api = {
  get: <T = any>(path: string) => request<T>('GET', path),
  post: <T = any>(path: string, body: Body = {}) => request<T>('POST', path, body),
  put: <T = any>(path: string, body: Body = {}) => request<T>('PUT', path, body),
  patch: <T = any>(path: string, body: Body = {}) => request<T>('PATCH', path, body),
  del: <T = any>(path: string) => request<T>('DELETE', path),
};

/** A query string from defined values; arrays repeat the key. */
export function query(params: Record<string, string | number | boolean | string[] | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => search.append(key, v));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The WebSocket URL of a server path, on the same host as the console. */
export function socketUrl(path: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${path}`;
}
