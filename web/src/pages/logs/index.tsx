/** The process log, tailed live. */
import type { PageRoute } from '../types';
import { LogsPage } from './logs-page';

export const logRoutes: PageRoute[] = [{ pattern: '/logs', render: () => <LogsPage /> }];
