import { describe, expect, it } from 'vitest';
import { missingPermissions, unionPermissions } from '../../kernel/manifest/index.js';

describe('missingPermissions', () => {
  const everything = {
    services: ['llm', 'kv'],
    network: true,
    fs: { read: ['./data'], write: ['./out'] },
    childProcess: true,
    worker: true,
  };

  it('lists everything requested when nothing is approved, in a fixed order', () => {
    expect(missingPermissions(everything, undefined)).toEqual(['service:llm', 'service:kv', 'network', 'fs.read:./data', 'fs.write:./out', 'childProcess', 'worker']);
  });

  it('is empty when the approval covers the request, and for a request of nothing', () => {
    expect(missingPermissions(everything, everything)).toEqual([]);
    expect(missingPermissions({ services: ['kv'] }, { services: ['kv', 'llm'], network: true })).toEqual([]);
    expect(missingPermissions({}, undefined)).toEqual([]);
    expect(missingPermissions({ services: [], network: false }, {})).toEqual([]);
  });

  it('names only what the approval lacks', () => {
    const approved = { services: ['kv'], fs: { read: ['./data'] } };
    expect(missingPermissions(everything, approved)).toEqual(['service:llm', 'network', 'fs.write:./out', 'childProcess', 'worker']);
  });

  it('compares fs paths as written (relative to the extension folder), and write does not imply read', () => {
    expect(missingPermissions({ fs: { read: ['data'] } }, { fs: { read: ['./data'] } })).toEqual(['fs.read:data']);
    expect(missingPermissions({ fs: { read: ['./x'] } }, { fs: { write: ['./x'] } })).toEqual(['fs.read:./x']);
  });

  it('treats a malformed approval (hand-edited kernel.json) as approving nothing', () => {
    expect(missingPermissions({ services: ['kv'], network: true }, ['net'] as never)).toEqual(['service:kv', 'network']);
    expect(missingPermissions({ services: ['kv'] }, { services: 'kv' } as never)).toEqual(['service:kv']);
  });
});

describe('unionPermissions', () => {
  it('merges lists without duplicates and keeps flags that either side grants', () => {
    expect(unionPermissions({ services: ['kv'], fs: { read: ['./a'] }, network: true }, { services: ['kv', 'llm'], fs: { write: ['./b'] }, worker: true })).toEqual({
      services: ['kv', 'llm'],
      fs: { read: ['./a'], write: ['./b'] },
      network: true,
      worker: true,
    });
  });

  it('normalizes: always a services list, no false flags, no empty fs', () => {
    expect(unionPermissions(undefined, undefined)).toEqual({ services: [] });
    expect(unionPermissions({ network: false, fs: {} }, { childProcess: false })).toEqual({ services: [] });
  });

  it('covers both of its inputs', () => {
    const a = { services: ['x'], childProcess: true };
    const b = { fs: { read: ['./r'] }, network: true };
    const union = unionPermissions(a, b);
    expect(missingPermissions(a, union)).toEqual([]);
    expect(missingPermissions(b, union)).toEqual([]);
  });
});
