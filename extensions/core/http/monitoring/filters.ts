/**
 * The query parameters every monitoring route shares, read from Fastify's parsed query string: `botId`,
 * `pipelineId`, `sessionId` (each repeatable, also as upstream's `botId[]`), `startTime`/`endTime` (ISO 8601),
 * `limit`/`offset` paging and `isActive`. Bad values are a 400 that names the parameter.
 */
import { Type } from '@sinclair/typebox';
import { badRequest } from '../api/envelope.js';

export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;
export const OFFSET_MAX = 1_000_000;

export interface Filters {
  botIds: string[];
  pipelineIds: string[];
  sessionIds: string[];
  /** ISO 8601 UTC, the format stored rows use, so text comparison orders correctly. */
  start?: string;
  end?: string;
}

export interface Page {
  limit: number;
  offset: number;
}

type Query = Record<string, unknown>;

const StringOrList = Type.Union([Type.String(), Type.Array(Type.String())]);

/** Query-string schemas (for validation of shape and for the OpenAPI document); values are checked below. */
export const FilterQuery = {
  botId: Type.Optional(StringOrList),
  pipelineId: Type.Optional(StringOrList),
  sessionId: Type.Optional(StringOrList),
  startTime: Type.Optional(Type.String({ description: 'ISO 8601, inclusive' })),
  endTime: Type.Optional(Type.String({ description: 'ISO 8601, inclusive' })),
};
export const PageQuery = {
  limit: Type.Optional(Type.String({ description: `1–${PAGE_MAX}, default ${PAGE_DEFAULT}` })),
  offset: Type.Optional(Type.String({ description: `0–${OFFSET_MAX}, default 0` })),
};

/** `?a=x` arrives as a string, `?a=x&a=y` as an array; upstream's axios client sends `a[]=x`. */
function list(query: Query, name: string): string[] {
  const values = [query[name], query[`${name}[]`]].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  for (const value of values) if (typeof value !== 'string' || value.length > 255) throw badRequest(`${name} must be a list of ids (each at most 255 characters).`);
  return [...new Set((values as string[]).filter(Boolean))];
}

function time(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  const parsed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) throw badRequest(`${name} must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z.`);
  return parsed.toISOString();
}

export function integer(query: Query, name: string, fallback: number, min: number, max: number): number {
  const value = query[name];
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) throw badRequest(`${name} must be a whole number from ${min} to ${max}.`);
  return Number(value);
}

export function readFilters(query: Query): Filters {
  const filters: Filters = { botIds: list(query, 'botId'), pipelineIds: list(query, 'pipelineId'), sessionIds: list(query, 'sessionId') };
  const start = time(query, 'startTime');
  const end = time(query, 'endTime');
  if (start && end && start > end) throw badRequest('startTime must not be after endTime.');
  if (start) filters.start = start;
  if (end) filters.end = end;
  return filters;
}

export function readPage(query: Query): Page {
  return { limit: integer(query, 'limit', PAGE_DEFAULT, 1, PAGE_MAX), offset: integer(query, 'offset', 0, 0, OFFSET_MAX) };
}

export function readIsActive(query: Query): boolean | undefined {
  const value = query.isActive;
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw badRequest('isActive must be true or false.');
}
