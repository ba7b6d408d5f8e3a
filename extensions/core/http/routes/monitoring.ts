/**
 * `/api/v1/monitoring/*` and `/api/v1/stats/basic`: what the bots did, read from the monitoring tables (messages,
 * LLM calls, tool calls, errors, sessions): the overview numbers, the dashboard's time series, paged lists, one
 * message's turn, and CSV exports.
 */
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { badRequest, notFound } from '../api/envelope.js';
import { defineRoutes, type RouteSpec } from '../api/routes.js';
import { toCsv } from '../monitoring/csv.js';
import { messageDetails } from '../monitoring/details.js';
import { FilterQuery, PageQuery, readFilters, readIsActive, readPage } from '../monitoring/filters.js';
import { COLUMNS, ITEMS_KEY, KINDS, MonitoringQueries, type Kind } from '../monitoring/queries.js';
import { tokenStatistics } from '../monitoring/timeseries.js';

/** Rows in one export at most (upstream's `export_rows`); newest first. */
export const EXPORT_ROWS = 10_000;

const TAGS = ['monitoring'];
const Filtered = Type.Object(FilterQuery);
const FilteredPage = Type.Object({ ...FilterQuery, ...PageQuery });

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** `db`: the application database (the core tables, whatever else it holds). */
export function monitoringRoutes(db: Kysely<any>) {
  const queries = new MonitoringQueries(db);

  const listRoute = (kind: Kind, summary: string): RouteSpec => ({
    method: 'GET',
    url: `/api/v1/monitoring/${kind}`,
    auth: 'user',
    permission: 'resource.view',
    summary,
    tags: TAGS,
    querystring: kind === 'sessions' ? Type.Object({ ...FilterQuery, ...PageQuery, isActive: Type.Optional(Type.String({ description: 'true | false' })) }) : FilteredPage,
    handler: async ({ query }) => {
      const { items, total } = await queries.list(kind, readFilters(query), readPage(query), kind === 'sessions' ? readIsActive(query) : undefined);
      return { [ITEMS_KEY[kind]]: items, total };
    },
  });

  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/monitoring/overview',
      auth: 'user',
      permission: 'resource.view',
      summary: 'Totals for the filters: messages, model calls, tokens, errors, success rate, active sessions',
      tags: TAGS,
      querystring: Filtered,
      handler: ({ query }) => queries.overview(readFilters(query)),
    },
    {
      method: 'GET',
      url: '/api/v1/monitoring/token-statistics',
      auth: 'user',
      permission: 'resource.view',
      summary: 'Messages, LLM calls, tokens and errors per UTC hour or day, every bucket of the range present',
      tags: TAGS,
      querystring: Type.Object({ ...FilterQuery, bucket: Type.Optional(Type.String({ description: 'hour (default) | day' })) }),
      handler: ({ query }) => {
        const bucket = query.bucket ?? 'hour';
        if (bucket !== 'hour' && bucket !== 'day') throw badRequest('bucket must be hour or day.');
        return tokenStatistics(queries, readFilters(query), bucket);
      },
    },
    listRoute('messages', 'Messages in and out, newest first'),
    listRoute('llm-calls', 'LLM calls with tokens, duration and status, newest first'),
    listRoute('tool-calls', 'Tool calls with arguments, result and duration, newest first'),
    listRoute('errors', 'Errors, newest first'),
    listRoute('sessions', 'Sessions, most recently active first'),
    {
      method: 'GET',
      url: '/api/v1/monitoring/messages/:id/details',
      auth: 'user',
      permission: 'resource.view',
      summary: 'One message with the messages, LLM calls, tool calls and errors of its turn',
      tags: TAGS,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 255 }) }),
      handler: async ({ params }) => {
        const details = await messageDetails(db, params.id);
        if (!details) throw notFound(`No monitored message '${params.id}'.`);
        return details;
      },
    },
    {
      method: 'GET',
      url: '/api/v1/monitoring/export',
      auth: 'user',
      permission: 'data.export',
      summary: `A CSV file of one monitoring list for the filters (at most ${EXPORT_ROWS} rows, newest first)`,
      tags: TAGS,
      querystring: Type.Object({ ...FilterQuery, type: Type.Optional(Type.String({ description: KINDS.join(' | ') })), isActive: Type.Optional(Type.String()) }),
      raw: true,
      handler: async ({ query, reply }) => {
        const kind = query.type as Kind;
        if (!KINDS.includes(kind)) throw badRequest(`type must be one of ${KINDS.join(', ')}.`);
        const filters = readFilters(query);
        const { items, total } = await queries.list(kind, filters, { limit: EXPORT_ROWS, offset: 0 }, kind === 'sessions' ? readIsActive(query) : undefined);
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="monitoring-${kind}-${stamp(new Date())}.csv"`)
          .header('x-total-count', String(total));
        return toCsv(COLUMNS[kind], items);
      },
    },
    {
      method: 'GET',
      url: '/api/v1/stats/basic',
      auth: 'user',
      permission: 'resource.view',
      summary: 'Active sessions, conversations and queries so far',
      tags: ['system'],
      handler: () => queries.basicStats(),
    },
  ]);
}
