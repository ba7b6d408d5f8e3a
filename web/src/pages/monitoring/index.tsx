/** Monitoring: messages, model and tool calls, errors and sessions, with each message's turn. */
import type { PageRoute } from '../types';
import { MonitoringPage } from './monitoring-page';

export const monitoringRoutes: PageRoute[] = [{ pattern: '/monitoring', render: () => <MonitoringPage /> }];
