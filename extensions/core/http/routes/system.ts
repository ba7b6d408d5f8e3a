/** `/api/v1/system/*`: what the console needs before sign-in. */
import { defineRoutes } from '../api/routes.js';

export function systemRoutes(info: () => Record<string, unknown>) {
  return defineRoutes([
    {
      method: 'GET',
      url: '/api/v1/system/info',
      auth: 'none',
      summary: 'Version and switches of this instance',
      tags: ['system'],
      handler: () => info(),
    },
  ]);
}
