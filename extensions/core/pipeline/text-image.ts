/**
 * Renders a long reply as a PNG (the `image` long-text strategy) with pureimage, in plain JavaScript: black text
 * wrapped on a white page. The font is `font-path` or the first common system font found; without a usable font
 * (or for text too long for one image) the caller falls back to a forwarded message, as upstream does.
 */
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import * as PImage from 'pureimage';

export const SYSTEM_FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/Library/Fonts/Arial.ttf',
  'C:/Windows/Fonts/arial.ttf',
];

const WIDTH = 720;
const PADDING = 24;
const SIZE = 18;
const LINE = 27;
/** Beyond this the image would be unreadably tall; the caller sends a forwarded message instead. */
export const MAX_LINES = 600;

const families = new Map<string, Promise<string>>();
let sequence = 0;

function loadFont(path: string): Promise<string> {
  let family = families.get(path);
  if (!family) {
    const name = `langbot-font-${++sequence}`;
    family = PImage.registerFont(path, name).load().then(() => name);
    families.set(path, family);
    family.catch(() => families.delete(path));
  }
  return family;
}

export type RenderResult = { ok: true; dataUri: string; lines: number } | { ok: false; reason: string };

export async function renderTextImage(text: string, fontPath: string): Promise<RenderResult> {
  const path = fontPath || SYSTEM_FONTS.find((p) => existsSync(p));
  if (!path) return { ok: false, reason: 'no font-path is set and no system font was found' };
  if (!existsSync(path)) return { ok: false, reason: `the font file ${path} does not exist` };
  let family: string;
  try {
    family = await loadFont(path);
  } catch (error) {
    return { ok: false, reason: `the font ${path} could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const measure = PImage.make(1, 1).getContext('2d');
  measure.font = `${SIZE}px '${family}'`;
  const widths = new Map<string, number>();
  const widthOf = (ch: string) => {
    let w = widths.get(ch);
    if (w === undefined) widths.set(ch, (w = measure.measureText(ch).width));
    return w;
  };
  const lines = wrap(text, WIDTH - 2 * PADDING, widthOf);
  if (lines.length > MAX_LINES) return { ok: false, reason: `the text needs ${lines.length} lines, more than ${MAX_LINES}` };

  const image = PImage.make(WIDTH, PADDING * 2 + lines.length * LINE);
  const ctx = image.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.fillStyle = '#202020';
  ctx.font = `${SIZE}px '${family}'`;
  lines.forEach((line, i) => ctx.fillText(line, PADDING, PADDING + (i + 1) * LINE - (LINE - SIZE)));
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  await PImage.encodePNGToStream(image, sink);
  return { ok: true, dataUri: `data:image/png;base64,${Buffer.concat(chunks).toString('base64')}`, lines: lines.length };
}

/** Greedy wrapping by measured width; breaks at spaces where it can, anywhere (e.g. in CJK text) where it must. */
export function wrap(text: string, maxWidth: number, widthOf: (ch: string) => number): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    let width = 0;
    let lastSpace = -1;
    for (const ch of paragraph.replace(/\t/g, '    ')) {
      const w = widthOf(ch);
      if (ch === ' ' && width + w > maxWidth) {
        // The line is full exactly at a space: the space becomes the break.
        out.push(line);
        line = '';
        width = 0;
        lastSpace = -1;
        continue;
      }
      if (width + w > maxWidth && line) {
        if (lastSpace > 0) {
          out.push(line.slice(0, lastSpace));
          line = line.slice(lastSpace + 1);
        } else {
          out.push(line);
          line = '';
        }
        width = [...line].reduce((sum, c) => sum + widthOf(c), 0);
        lastSpace = -1;
      }
      if (ch === ' ') lastSpace = line.length;
      line += ch;
      width += w;
    }
    out.push(line);
  }
  return out;
}
