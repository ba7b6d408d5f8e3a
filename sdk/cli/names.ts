import { MANIFEST_ID_PATTERN } from '../../kernel/manifest/schema.js';
import { CliError } from './errors.js';

/** Folder names, contribution keys and tool names at once: lowercase words joined by '-'. */
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME = 50;

export function checkName(name: string): string {
  if (!NAME.test(name) || name.length > MAX_NAME) {
    throw new CliError(
      `'${name}' is not a valid extension name: use lowercase letters, digits and single '-' between words, starting with a letter, at most ${MAX_NAME} characters (e.g. 'weather' or 'daily-report').`,
    );
  }
  return name;
}

export function checkId(id: string): string {
  if (!new RegExp(MANIFEST_ID_PATTERN).test(id) || id.length > 64) {
    throw new CliError(`'${id}' is not a valid extension id: use dot-separated parts of a-z, 0-9 and '-', such as 'acme.weather' (at most 64 characters).`);
  }
  return id;
}

/** 'daily-report' → 'Daily report'. */
export const titleOf = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, ' ');
