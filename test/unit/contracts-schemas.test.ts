import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EventSchemas, MessageChainSchema, MessageResultSchema, PlatformApiParams } from '../../sdk/contracts/index.js';

// The contracts are plain JSON Schema, so non-TypeBox peers (and generated docs) can use them too.
describe('contract schemas', () => {
  it('compile with ajv and agree with TypeBox on a sample', () => {
    const ajv = new Ajv({ strict: false });
    const chain = ajv.compile(MessageChainSchema);
    expect(chain([{ type: 'Quote', origin: [{ type: 'Plain', text: 'x' }] }])).toBe(true);
    expect(chain([{ type: 'Quote', origin: [{ type: 'Plain' }] }])).toBe(false);
    for (const schema of [...Object.values(EventSchemas), ...Object.values(PlatformApiParams), MessageResultSchema]) {
      expect(() => new Ajv({ strict: false }).compile(schema)).not.toThrow();
    }
  });
});
