/** API keys for programs. */
import type { PageRoute } from '../types';
import { ApiKeysPage } from './list';

export const apiKeyRoutes: PageRoute[] = [{ pattern: '/api-keys', render: () => <ApiKeysPage /> }];
