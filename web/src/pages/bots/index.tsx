/** The bots pages: the list (`#/bots`) and one bot with its settings, event rules and logs (`#/bots/:uuid`). */
import type { PageRoute } from '../types';
import { BotDetailPage } from './detail';
import { BotsListPage } from './list';

export const botRoutes: PageRoute[] = [
  { pattern: '/bots', render: () => <BotsListPage /> },
  { pattern: '/bots/:uuid', render: (params) => <BotDetailPage uuid={params.uuid} /> },
];
