/**
 * langbot.marketplace: browse signed registries and install, update, roll back or remove extensions from them,
 * with the permissions each asks for approved first. The work is done by the marketplace library (client and
 * installer, shared with `langbot market`); the kernel switches versions through its `extensions` service.
 */
import { join } from 'node:path';
import { defineExtension, KERNEL_API_VERSION } from '@langbot-ts/sdk';
import { RegistryClient } from '../../../marketplace/client/registry-client.js';
import { Installer } from '../../../marketplace/installer/installer.js';
import { kernelActivator } from './activator.js';
import { marketplaceService } from './service.js';
import { dataRootOf, readSettings } from './settings.js';
import { TaskBoard } from './tasks.js';

export default defineExtension({
  async activate(ctx) {
    const settings = await readSettings(ctx.config);
    if (settings.trustWarning) ctx.log.warn(settings.trustWarning);
    const dataDir = dataRootOf(ctx.dataDir);
    const client = new RegistryClient({ mirrors: settings.mirrors, trustedKeys: settings.trustedKeys, cacheDir: join(dataDir, 'market', 'cache'), timeoutMs: settings.timeoutMs });
    const installer = new Installer({ dataDir, client, activator: kernelActivator(ctx), kernelApiVersion: KERNEL_API_VERSION });
    const tasks = new TaskBoard(ctx.log);
    ctx.provideService('marketplace', marketplaceService({ ctx, client, installer, tasks, settings, kernelApiVersion: KERNEL_API_VERSION }));
  },
});
