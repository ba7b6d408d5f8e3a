/** `langbot-ext create`: a new extension project from sdk/templates/<kind> plus the shared files. */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CliError } from './errors.js';
import { ISOLATION_CHOICES, KIND_INFO, KINDS, type IsolationChoice, type Kind } from './kinds.js';
import { checkId, checkName, titleOf } from './names.js';
import { SDK_ROOT, TEMPLATES_DIR } from './paths.js';

export interface CreateOptions {
  kind: string;
  id?: string;
  /** The parent folder (default: the current one). */
  dir?: string;
  isolation?: string;
}

export interface CreatedProject {
  dir: string;
  id: string;
  kind: Kind;
  files: string[];
}

export async function createProject(name: string, options: CreateOptions): Promise<CreatedProject> {
  checkName(name);
  const kind = checkKind(options.kind);
  const id = checkId(options.id ?? name);
  const isolation = checkIsolation(options.isolation ?? 'process', kind);
  const dir = resolve(options.dir ?? '.', name);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || (await readdir(dir)).length > 0)) {
    throw new CliError(`${dir} already exists and is not an empty folder; choose another name or --dir.`);
  }
  const info = KIND_INFO[kind];
  const vars: Record<string, string> = {
    id,
    key: name,
    title: titleOf(name),
    isolation,
    kind,
    summary: info.summary.en_US,
    summary_zh: info.summary.zh_Hans,
    sdk: sdkPathFrom(dir),
  };
  vars.tryIt = render(info.tryIt, vars, 'tryIt');
  vars.layout = layoutOf(kind);
  const files = new Map<string, string>();
  for (const folder of ['_shared', kind]) {
    for (const file of await listFiles(join(TEMPLATES_DIR, folder))) {
      const text = await readFile(join(TEMPLATES_DIR, folder, file), 'utf8');
      files.set(outputName(file), render(text, vars, `${folder}/${file}`));
    }
  }
  for (const [file, text] of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text, { flag: 'wx' });
  }
  return { dir, id, kind, files: [...files.keys()].sort() };
}

function layoutOf(kind: Kind): string {
  const manifest =
    '- `manifest.yaml`: what the extension is and contributes (id, version, permissions, contributions, settings).\n' +
    '  The kernel checks it before any code runs; `langbot-ext validate` shows the same checks.';
  if (KIND_INFO[kind].noCode) {
    return `${manifest}\n- \`pages/index.html\`: the page (static files; no code runs in the kernel).\n- \`index.test.ts\`: checks that a real kernel accepts the extension.`;
  }
  return (
    `${manifest}\n- \`index.ts\`: the code. \`activate(ctx)\` implements each contribution the manifest declares with \`ctx.provide(...)\`.\n` +
    '- `index.test.ts`: tests against a real kernel with the chat harness from `@langbot-ts/sdk/testing`.'
  );
}

function checkKind(kind: string): Kind {
  if ((KINDS as readonly string[]).includes(kind)) return kind as Kind;
  throw new CliError(`Unknown kind '${kind}'; choose one of ${KINDS.join(', ')}.`);
}

function checkIsolation(isolation: string, kind: Kind): IsolationChoice {
  if (!(ISOLATION_CHOICES as readonly string[]).includes(isolation)) {
    throw new CliError(`Unknown isolation '${isolation}'; choose one of ${ISOLATION_CHOICES.join(', ')}.`);
  }
  if (isolation === 'isolate' && KIND_INFO[kind].needsNode) {
    throw new CliError(`The ${kind} template uses the network, which an isolate does not have; choose --isolation process or worker.`);
  }
  return isolation as IsolationChoice;
}

/** The SDK folder as the project's package.json and tsconfig.json refer to it (relative, with '/'). */
function sdkPathFrom(dir: string): string {
  const rel = relative(dir, SDK_ROOT);
  return isAbsolute(rel) ? SDK_ROOT.split(sep).join('/') : rel.split(sep).join('/');
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/** Templates end in `.tpl` so the repo's tools leave them alone; `gitignore` becomes `.gitignore`. */
const outputName = (file: string) => file.replace(/\.tpl$/, '').replace(/(^|\/)gitignore$/, '$1.gitignore');

function render(text: string, vars: Record<string, string>, where: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`Template ${where} uses an unknown placeholder {{${name}}}.`);
    return value;
  });
}
