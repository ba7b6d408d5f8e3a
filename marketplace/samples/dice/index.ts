import { RpcError, RpcErrorCode, defineExtension } from '@langbot-ts/sdk';

const NOTATION = /^\s*(\d*)\s*d\s*(\d+)\s*(?:([+-])\s*(\d+))?\s*$/i;
const MAX_SIDES = 1000;
const MAX_MODIFIER = 1_000_000;

interface Roll {
  notation: string;
  rolls: number[];
  modifier: number;
  total: number;
}

/** Parses and rolls `NdS±K`. */
function roll(notation: string, maxDice: number): Roll {
  const match = NOTATION.exec(String(notation ?? ''));
  if (!match) throw new RpcError(RpcErrorCode.ValidationFailed, `'${notation}' is not dice notation; use NdS or NdS+K, e.g. 2d6+1.`, { notation });
  const count = match[1] ? Number(match[1]) : 1;
  const sides = Number(match[2]);
  const modifier = match[4] ? Number(match[4]) * (match[3] === '-' ? -1 : 1) : 0;
  if (count < 1 || count > maxDice) throw new RpcError(RpcErrorCode.ValidationFailed, `The number of dice must be between 1 and ${maxDice}; got ${count}.`, { notation });
  if (sides < 2 || sides > MAX_SIDES) throw new RpcError(RpcErrorCode.ValidationFailed, `A die has between 2 and ${MAX_SIDES} sides; got ${sides}.`, { notation });
  if (Math.abs(modifier) > MAX_MODIFIER) throw new RpcError(RpcErrorCode.ValidationFailed, `The modifier must be at most ${MAX_MODIFIER}; got ${modifier}.`, { notation });
  const rolls = Array.from({ length: count }, () => 1 + Math.floor(Math.random() * sides));
  const normalized = `${count}d${sides}${modifier > 0 ? `+${modifier}` : modifier < 0 ? `${modifier}` : ''}`;
  return { notation: normalized, rolls, modifier, total: rolls.reduce((a, b) => a + b, 0) + modifier };
}

export default defineExtension({
  activate(ctx) {
    ctx.provide('tools', 'roll_dice', {
      call: (args: { notation: string }) => roll(args.notation, Number(ctx.config.maxDice ?? 100)),
    });
  },
});
