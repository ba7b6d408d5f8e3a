import { PackageError } from './errors.js';

/** The folder every archive entry lives under (as in npm-pack archives). */
export const ROOT = 'package/';
export const INTEGRITY_FILE = 'integrity.json';
export const INTEGRITY_FORMAT = 'langbot-package/1';

/**
 * Checks a path relative to the package root (posix, no trailing slash) and returns it. Refused: empty, absolute,
 * `.`/`..` or empty segments, backslashes, NUL and other control characters.
 */
export function checkRelativePath(path: string, shown = path): string {
  const unsafe = (why: string) => new PackageError('unsafe_entry', `Unsafe entry ${JSON.stringify(shown)}: ${why}.`, { entry: shown });
  if (path === '') throw unsafe('the path is empty');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw unsafe('absolute paths are not allowed');
  if (path.includes('\\')) throw unsafe('backslashes are not allowed');
  if (/[\u0000-\u001f\u007f]/.test(path)) throw unsafe('NUL and control characters are not allowed');
  for (const segment of path.split('/')) {
    if (segment === '..') throw unsafe("'..' is not allowed");
    if (segment === '.' || segment === '') throw unsafe("empty and '.' path segments are not allowed");
  }
  return path;
}

/**
 * Refuses two entries whose paths differ only in letter case (they would collide on case-insensitive file systems)
 * and a file that another entry uses as a folder.
 */
export function checkNoCollisions(files: Iterable<string>, dirs: Iterable<string> = []): void {
  const seen = new Map<string, string>();
  const fileKeys = new Set<string>();
  const add = (path: string, isFile: boolean) => {
    const key = path.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      throw new PackageError('unsafe_entry', `Duplicate entry ${JSON.stringify(path)} (also ${JSON.stringify(other)}; names are compared without case).`, {
        entry: path,
      });
    }
    seen.set(key, path);
    if (isFile) fileKeys.add(key);
  };
  const fileList = [...files];
  for (const file of fileList) add(file, true);
  for (const dir of dirs) add(dir, false);
  for (const file of fileList) {
    const segments = file.toLowerCase().split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (fileKeys.has(parent)) {
        throw new PackageError('unsafe_entry', `Entry ${JSON.stringify(file)} lies inside ${JSON.stringify(seen.get(parent))}, which is a file.`, { entry: file });
      }
    }
  }
}
