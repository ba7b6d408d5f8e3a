import type { PageRoute } from '../types';
import { PipelineDetail } from './detail';
import { PipelineList } from './list';

export const pipelineRoutes: PageRoute[] = [
  { pattern: '/pipelines', render: () => <PipelineList /> },
  { pattern: '/pipelines/:uuid', render: ({ uuid }) => <PipelineDetail uuid={uuid} /> },
  { pattern: '/pipelines/:uuid/:tab', render: ({ uuid, tab }) => <PipelineDetail uuid={uuid} tab={tab} /> },
];
