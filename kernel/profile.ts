import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { parse } from 'yaml';
import { createValidator, formatIssue } from './manifest/index.js';

const Profile = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    extensions: Type.Union([Type.Literal('*'), Type.Array(Type.String())]),
    /** Built-ins left off even when `extensions` is '*' (alternatives such as a second storage backend). */
    disable: Type.Optional(Type.Array(Type.String())),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
const checkProfile = createValidator(Profile);

export interface DeploymentProfile {
  name: string;
  description?: string;
  extensions: '*' | string[];
  disable?: string[];
  settings?: Record<string, unknown>;
}

/** Reads `manifests/profiles/<name>.yaml`. */
export async function loadProfile(profilesDir: string, name: string): Promise<DeploymentProfile> {
  const file = join(profilesDir, `${name}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`Unknown profile '${name}': ${file} does not exist.`);
  }
  const result = checkProfile(parse(text), file);
  if (!result.ok) throw new Error(`Invalid profile:\n${result.issues.map(formatIssue).join('\n')}`);
  return result.value as DeploymentProfile;
}

/** Whether a profile turns on the built-in extension `id`. */
export function profileEnables(profile: Pick<DeploymentProfile, 'extensions' | 'disable'>, id: string): boolean {
  if (profile.disable?.includes(id)) return false;
  return profile.extensions === '*' || profile.extensions.includes(id);
}
