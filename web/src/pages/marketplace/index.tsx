/** Marketplace: browse the registry, and one extension's page with install / update / rollback / uninstall. */
import type { PageRoute } from '../types';
import { MarketplaceBrowse } from './browse';
import { MarketplaceDetail } from './detail';

export const marketplaceRoutes: PageRoute[] = [
  { pattern: '/marketplace', render: () => <MarketplaceBrowse /> },
  { pattern: '/marketplace/:id', render: ({ id }) => <MarketplaceDetail key={id} id={id} /> },
];
