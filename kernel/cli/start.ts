import { resolve } from 'node:path';
import { StateStore } from '../config/state-store.js';
import { Kernel } from '../kernel.js';
import type { LogLevel } from '../logging/logger.js';
import { publishStatus, readStatus } from '../status/status-file.js';
import { followStateFile } from '../status/state-sync.js';
import { CliError } from './output.js';

export interface StartOptions {
  data: string;
  profile: string;
  watch: boolean;
  port?: string;
}

/** Starts the kernel, reports what is active and why, and stops gracefully on SIGINT/SIGTERM. */
export async function startKernel(opts: StartOptions): Promise<void> {
  const dataDir = resolve(opts.data);
  const other = readStatus(dataDir);
  if (other && other.pid !== process.pid) throw new CliError(`A kernel (pid ${other.pid}) is already running on ${dataDir}.`);
  const pretty = Boolean(process.stdout.isTTY);
  const level = (process.env.LANGBOT_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  if (opts.port !== undefined) {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be an integer from 0 to 65535, not '${opts.port}'.`);
    const state = await StateStore.open(dataDir);
    await state.setExtension('langbot.http', { config: { ...(state.getExtension('langbot.http')?.config ?? {}), port } });
  }
  const kernel = await Kernel.start({ dataDir, profile: opts.profile, watch: opts.watch, logging: { pretty, level } });
  const log = kernel.logging.root.child({ ext: 'kernel' });
  const status = publishStatus(kernel.manager, dataDir, kernel.profile.name);
  const sync = followStateFile(kernel.manager, kernel.state, dataDir);
  await status.ready;

  const records = kernel.manager.list();
  const count = (state: string) => records.filter((r) => r.state === state).length;
  const ms = Math.round(performance.now());
  log.info({ profile: kernel.profile.name, ms, active: count('active'), pending: count('pending'), failed: count('failed') }, 'Kernel ready');
  const width = Math.max(0, ...records.map((r) => r.id.length));
  for (const r of records) log.info(`${r.id.padEnd(width)}  ${r.state.padEnd(8)}  ${r.reason.replace(/\n/g, ' | ')}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: give up waiting
    stopping = true;
    log.info({ signal }, 'Stopping…');
    setTimeout(() => {
      log.error('Stopping took longer than 10 s; exiting anyway.');
      process.exit(1);
    }, 10_000).unref();
    try {
      sync.close();
      await kernel.stop();
      await status.close();
    } catch (e) {
      log.error({ err: e }, 'Stopping failed.');
      process.exit(1);
    }
    log.info('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
