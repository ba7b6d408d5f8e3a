// An esbuild plugin for bundling project sources into another folder: each source keeps its own
// `import.meta.url` / `.dirname` / `.filename` (the kernel finds runtime entries, fixtures and its root from them).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Odd count of a quote character before the match on its line: the match sits inside a string literal. */
function insideString(line) {
  for (const q of ["'", '"', '`']) if ((line.split(q).length - 1) % 2 === 1) return true;
  return false;
}

export function rewriteImportMeta(source, file) {
  const values = { url: pathToFileURL(file).href, dirname: dirname(file), filename: file };
  return source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (match, key, offset) => {
    const lineStart = source.lastIndexOf('\n', offset) + 1;
    return insideString(source.slice(lineStart, offset)) ? match : JSON.stringify(values[key]);
  });
}

export const keepImportMeta = {
  name: 'keep-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      return { contents: rewriteImportMeta(source, args.path), loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};
