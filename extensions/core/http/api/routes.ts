/**
 * Every API route is declared once: method, path, who may call it, the TypeBox schemas that validate its input
 * (and feed the OpenAPI document), and a handler that returns the `data` of the envelope.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ok } from './envelope.js';
import type { AuthKind, Guard, Permission, Principal } from '../auth/guard.js';

export interface ApiRequest<B = any, Q = any, P = any> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | undefined;
  raw: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  auth: AuthKind;
  permission?: Permission;
  summary: string;
  tags: string[];
  body?: TSchema;
  querystring?: TSchema;
  params?: TSchema;
  /** Answer with something other than the envelope (a file, a stream); the handler uses `reply` itself. */
  raw?: boolean;
  handler(request: ApiRequest): Promise<unknown> | unknown;
}

export const defineRoutes = (routes: RouteSpec[]) => routes;

const SECURITY: Record<AuthKind, Record<string, string[]>[]> = {
  none: [],
  user: [{ bearerAuth: [] }],
  user_or_key: [{ bearerAuth: [] }, { apiKeyAuth: [] }],
  key: [{ apiKeyAuth: [] }],
};

export function registerRoutes(app: FastifyInstance, guard: Guard, routes: RouteSpec[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      schema: {
        summary: route.summary,
        tags: route.tags,
        security: SECURITY[route.auth],
        ...(route.body ? { body: route.body } : {}),
        ...(route.querystring ? { querystring: route.querystring } : {}),
        ...(route.params ? { params: route.params } : {}),
      },
      config: { auth: route.auth, permission: route.permission },
      // Authentication runs before the body is parsed or validated: an anonymous caller learns nothing.
      onRequest: async (request) => {
        const principal = await guard.authenticate(request, route.auth);
        guard.authorize(principal, route.permission);
        (request as FastifyRequest & { principal?: Principal }).principal = principal;
      },
      handler: async (request, reply) => {
        const data = await route.handler({
          body: request.body,
          query: request.query,
          params: request.params,
          principal: (request as FastifyRequest & { principal?: Principal }).principal,
          raw: request,
          reply,
        });
        return route.raw ? data : ok(data);
      },
    });
  }
}
