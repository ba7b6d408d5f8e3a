/** One error handler for every route: the envelope with a matching status; unexpected errors logged with a request id. */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ExtensionLogger } from '@langbot-ts/sdk';
import { toApiError } from './envelope.js';

export function installErrorHandler(app: FastifyInstance, log: ExtensionLogger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ code: 'bad_request', msg: `Invalid request: ${error.validationContext ?? 'input'}${error.message.replace(/^(body|querystring|params)/, '')}` });
    }
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ code: 'too_large', msg: 'The request body is too large.' });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && error.code?.startsWith('FST_')) {
      return reply.code(error.statusCode).send({ code: 'bad_request', msg: error.message });
    }
    const api = toApiError(error);
    if (api.status >= 500 && api.code === 'internal_error') {
      log.error(`Request ${request.method} ${request.url} failed: ${error.message}`, { request_id: request.id, stack: error.stack });
      return reply.code(500).send({ code: api.code, msg: api.message, request_id: request.id });
    }
    return reply.code(api.status).send({ code: api.code, msg: api.message, ...(api.data !== undefined ? { data: api.data } : {}) });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 'resource_not_found', msg: `No route ${request.method} ${request.url.split('?')[0]}.` }));
}
