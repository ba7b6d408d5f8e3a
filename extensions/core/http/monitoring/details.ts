/**
 * One message with what happened around it. Monitoring rows carry no common query id (messages have their own
 * ids, LLM and tool calls the pipeline's query id, errors the platform's message id), but the messages of one
 * session are processed one at a time, so a turn is a time window of the session: from the user message that
 * opened it (the message itself, or for a reply the latest user message before it) to the session's next user
 * message. The turn's messages, LLM calls, tool calls and errors are those of the session inside that window.
 */
import type { Kysely } from 'kysely';

/** Rows of each kind returned at most (upstream's `detail_rows`). */
export const DETAIL_ROWS = 2000;

type Row = Record<string, unknown>;

export async function messageDetails(db: Kysely<any>, id: string) {
  const message = (await db.selectFrom('monitoring_messages').selectAll().where('id', '=', id).executeTakeFirst()) as Row | undefined;
  if (!message) return undefined;
  const session = message.session_id as string | null;
  if (!session) return { message, turn: { session_id: null, start: message.timestamp, end: message.timestamp }, messages: [message], llm_calls: [], tool_calls: [], errors: [] };

  const userMessages = () => db.selectFrom('monitoring_messages').selectAll().where('session_id', '=', session).where('role', '=', 'user');
  const opener =
    message.role === 'user'
      ? message
      : (((await userMessages().where('timestamp', '<=', message.timestamp).orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()) as Row | undefined) ?? message);
  const next = (await userMessages().where('timestamp', '>', opener.timestamp).orderBy('timestamp').limit(1).executeTakeFirst()) as Row | undefined;
  const start = String(opener.timestamp);
  const end = next ? String(next.timestamp) : null;

  const inTurn = (table: string) =>
    db
      .selectFrom(table)
      .selectAll()
      .where('session_id', '=', session)
      .where('timestamp', '>=', start)
      .$if(end !== null, (q) => q.where('timestamp', '<', end!))
      .orderBy('timestamp')
      .limit(DETAIL_ROWS)
      .execute();
  const [messages, llm_calls, tool_calls, errors] = await Promise.all([inTurn('monitoring_messages'), inTurn('monitoring_llm_calls'), inTurn('monitoring_tool_calls'), inTurn('monitoring_errors')]);
  return { message, turn: { session_id: session, start, end }, messages, llm_calls, tool_calls, errors };
}
