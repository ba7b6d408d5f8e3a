/** The dashboard: the console's home page. */
import type { PageRoute } from '../types';
import { DashboardPage } from './dashboard-page';

export const dashboardRoutes: PageRoute[] = [{ pattern: '/', render: () => <DashboardPage /> }];
