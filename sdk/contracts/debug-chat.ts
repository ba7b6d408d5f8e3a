/** Where upstream's debug-chat WebSocket lives: `/api/v1/pipelines/<uuid>/ws/connect?session_type=person|group`. */
export interface DebugChatTarget {
  pipeline_uuid: string;
  session_type: 'person' | 'group';
}

const PATH = /^\/api\/v1\/pipelines\/([^/]+)\/ws\/connect$/;

/** The pipeline and session type a WebSocket upgrade asks for, or undefined when the URL is not the debug chat's. */
export function debugChatTarget(requestUrl: string | undefined): DebugChatTarget | undefined {
  const url = new URL(requestUrl ?? '/', 'http://localhost');
  const match = PATH.exec(url.pathname);
  const session_type = url.searchParams.get('session_type') ?? 'person';
  if (!match || (session_type !== 'person' && session_type !== 'group')) return undefined;
  return { pipeline_uuid: decodeURIComponent(match[1]), session_type };
}
