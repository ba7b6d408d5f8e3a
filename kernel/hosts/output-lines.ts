import type { Readable } from 'node:stream';

/** Forwards a stream's text line by line (bounded, so a flood of output can't grow memory). */
export function forwardLines(stream: Readable | null | undefined, onLine: (line: string) => void, maxLine = 8192): void {
  if (!stream) return;
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!.slice(0, maxLine);
    for (const line of lines) if (line.trim()) onLine(line.slice(0, maxLine));
  });
  stream.on('end', () => partial.trim() && onLine(partial));
}
