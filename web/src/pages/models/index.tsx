import type { PageRoute } from '../types';
import { ModelsPage } from './models-page';

export const modelRoutes: PageRoute[] = [{ pattern: '/models', render: () => <ModelsPage /> }];
