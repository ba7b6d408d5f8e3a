/**
 * The CSV export. The route needs the Authorization header, which a plain link cannot send, so the file is fetched
 * and handed to the browser as a blob link.
 */
import { ApiError, query, session } from '../../lib/api';
import type { Filters, Kind } from './model';

export async function downloadCsv(kind: Kind, filters: Filters): Promise<{ filename: string; rows: number }> {
  const token = session.token();
  let response: Response;
  try {
    response = await fetch(`/api/v1/monitoring/export${query({ ...filters, type: kind })}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Is LangBot running?');
  }
  if (!response.ok) {
    const envelope = await response.json().catch(() => ({}) as { code?: string; msg?: string; request_id?: string });
    if (response.status === 401 && token) session.signOut();
    throw new ApiError(response.status, envelope.code ?? response.status, envelope.msg ?? `HTTP ${response.status}`, envelope.request_id);
  }
  const blob = await response.blob();
  const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `monitoring-${kind}.csv`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started once click() returns; the URL only has to outlive that.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { filename, rows: Number(response.headers.get('x-total-count') ?? 0) };
}
