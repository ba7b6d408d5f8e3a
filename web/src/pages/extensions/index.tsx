/** Extensions: the list of installed extensions and one extension's page. */
import type { PageRoute } from '../types';
import { ExtensionDetail } from './detail';
import { ExtensionList } from './list';

export const extensionRoutes: PageRoute[] = [
  { pattern: '/extensions', render: () => <ExtensionList /> },
  { pattern: '/extensions/:id', render: ({ id }) => <ExtensionDetail key={id} id={id} /> },
];
