import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface TestPostgres {
  /** postgres:// URL of a fresh database on the throw-away cluster. */
  url: string;
  stop(): Promise<void>;
}

/** The directory holding initdb, pg_ctl and postgres: PATH first, then Debian's /usr/lib/postgresql/<version>/bin. */
function findBinDir(): string {
  const has = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && has(dir)) return dir;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (has(join(base, v, 'bin'))) return join(base, v, 'bin');
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin. ' +
      "Install Debian's `postgresql` package (apt-get install -y postgresql) to run the PostgreSQL persistence tests.",
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * Starts a throw-away PostgreSQL cluster on 127.0.0.1 (trust auth, superuser `postgres`) in a temporary folder and
 * creates a database on it. initdb refuses to run as root, so as root the server runs as the `postgres` OS user.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBinDir();
  const root = mkdtempSync(join(tmpdir(), 'langbot-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sock');
  const log = join(root, 'server.log');
  mkdirSync(sockets);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await osUser('postgres');
    chmodSync(root, 0o700);
    chownTree(root, uid, gid);
  }
  const exec = (tool: string, args: string[], timeout = 60_000) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout }) : run(join(bin, tool), args, { timeout });

  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      await exec('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w'], 30_000).catch(() => {});
    }
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${sockets} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await exec('pg_ctl', ['start', '-D', data, '-l', log, '-o', options, '-w', '-t', '60']);
    started = true;
    const database = 'langbot_test';
    // pg_ctl -w already waited for the server to accept connections; creating the database confirms it over TCP.
    await waitFor(async () => {
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      try {
        await client.connect();
        await client.query(`create database ${database}`);
      } finally {
        await client.end().catch(() => {});
      }
    });
    return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, stop };
  } catch (e) {
    const detail = existsSync(log) ? await run('tail', ['-n', '20', log]).then((r) => `\n${r.stdout}`, () => '') : '';
    await stop();
    throw new Error(`Could not start a test PostgreSQL server: ${(e as Error).message}${detail}`);
  }
}

async function waitFor(attempt: () => Promise<unknown>, tries = 50): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await attempt();
      return;
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
