/**
 * Request bodies as the Bot API accepts them: JSON, application/x-www-form-urlencoded and multipart/form-data
 * (grammY uses JSON, and multipart when it uploads files, with `attach://<id>` naming the file part).
 */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export interface ParsedBody {
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
}

/** Fields that stay strings in form bodies even when they look like JSON ("123" as a message text). */
const STRING_FIELDS = new Set(['text', 'caption', 'title', 'description', 'name', 'emoji', 'action', 'url', 'secret_token', 'callback_query_id', 'file_id', 'parse_mode', 'photo', 'voice', 'document', 'audio']);

function decode(key: string, value: string): unknown {
  if (STRING_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function multipart(body: Buffer, boundary: string): ParsedBody {
  const params: Record<string, unknown> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error('unterminated multipart body');
    const part = body.subarray(start + 2, next - 2); // skip the CRLF after the boundary and before the next one
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw new Error('multipart part without headers');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="?([^"\r\n;]*)"?/i.exec(headers)?.[1];
    if (!name) throw new Error('multipart part without a name');
    if (filename !== undefined) files.set(name, { filename, data: Buffer.from(content) });
    else params[name] = decode(name, content.toString('utf8'));
    at = next;
  }
  return { params, files };
}

export function parseBody(contentType: string | undefined, body: Buffer, query: URLSearchParams): ParsedBody {
  const params: Record<string, unknown> = {};
  for (const [k, v] of query) params[k] = decode(k, v);
  const type = (contentType ?? '').toLowerCase();
  if (body.length === 0) return { params, files: new Map() };
  if (type.startsWith('application/json')) {
    const json = JSON.parse(body.toString('utf8'));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the JSON body is not an object');
    return { params: { ...params, ...json }, files: new Map() };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = decode(k, v);
    return { params, files: new Map() };
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];
    if (!boundary) throw new Error('multipart body without a boundary');
    const parsed = multipart(body, boundary);
    return { params: { ...params, ...parsed.params }, files: parsed.files };
  }
  throw new Error(`unsupported content type '${contentType}'`);
}
