import { describe, expect, it } from 'vitest';
import { createLogging, type LoggingOptions } from '../../kernel/logging/logger.js';
import { RingBuffer } from '../../kernel/logging/ring-buffer.js';

function setup(options: LoggingOptions = {}) {
  const lines: string[] = [];
  const logging = createLogging({ destination: { write: (line: string) => void lines.push(line) }, ...options });
  return { logging, lines };
}

describe('RingBuffer', () => {
  it('evicts the oldest item when full and returns items oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
  });
});

describe('createLogging', () => {
  it('writes JSON lines to the destination', () => {
    const { logging, lines } = setup();
    logging.forExtension('acme.echo').info({ chat: 42 }, 'hello');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, ext: 'acme.echo', chat: 42, msg: 'hello' });
  });

  it('keeps each extension in its own ring buffer and kernel lines under "kernel"', () => {
    const { logging } = setup();
    logging.forExtension('a').info('from a');
    logging.forExtension('b').warn({ retry: 2 }, 'from b');
    logging.root.info('from kernel');

    expect(logging.recent('a').map((e) => e.msg)).toEqual(['from a']);
    expect(logging.recent('b')).toEqual([
      { time: expect.any(Number), level: 'warn', ext: 'b', msg: 'from b', data: { retry: 2 } },
    ]);
    expect(logging.recent('kernel').map((e) => e.msg)).toEqual(['from kernel']);
    expect(logging.recent('unknown')).toEqual([]);
  });

  it('evicts the oldest entries at ringSize per extension', () => {
    const { logging } = setup({ ringSize: 3 });
    const a = logging.forExtension('a');
    for (let i = 0; i < 5; i++) a.info(`a${i}`);
    logging.forExtension('b').info('b0');

    expect(logging.recent('a').map((e) => e.msg)).toEqual(['a2', 'a3', 'a4']);
    expect(logging.recent('b').map((e) => e.msg)).toEqual(['b0']);
  });

  it('filters recent entries by minimum level and limits to the newest', () => {
    const { logging } = setup({ level: 'debug' });
    const log = logging.forExtension('x');
    log.debug('d');
    log.info('i1');
    log.error('e');
    log.info('i2');

    expect(logging.recent('x', { level: 'info' }).map((e) => e.msg)).toEqual(['i1', 'e', 'i2']);
    expect(logging.recent('x', { limit: 2 }).map((e) => e.msg)).toEqual(['e', 'i2']);
    expect(logging.recent('x', { level: 'error', limit: 5 }).map((e) => e.msg)).toEqual(['e']);
  });

  it('drops lines below the configured level everywhere', () => {
    const { logging, lines } = setup({ level: 'warn' });
    logging.forExtension('x').info('quiet');
    expect(lines).toEqual([]);
    expect(logging.recent('x')).toEqual([]);
  });

  it('redacts secrets in both the output stream and the ring buffer', () => {
    const { logging, lines } = setup();
    logging.forExtension('x').info({ apiKey: 'sk-1', config: { token: 'tok-2', openai: { apiKey: 'sk-3' } } }, 'cfg');

    expect(lines[0]).not.toMatch(/sk-1|tok-2|sk-3/);
    expect(JSON.stringify(logging.recent('x'))).not.toMatch(/sk-1|tok-2|sk-3/);
    expect(logging.recent('x')[0].data).toEqual({
      apiKey: '[Redacted]',
      config: { token: '[Redacted]', openai: { apiKey: '[Redacted]' } },
    });
  });

  it('accepts custom redact paths', () => {
    const { logging, lines } = setup({ redactPaths: ['cookie'] });
    logging.root.info({ cookie: 'c', apiKey: 'visible' }, 'x');
    expect(JSON.parse(lines[0])).toMatchObject({ cookie: '[Redacted]', apiKey: 'visible' });
  });

  it('delivers entries to onEntry listeners until disposed', () => {
    const { logging } = setup();
    const seen: string[] = [];
    const dispose = logging.onEntry((e) => seen.push(`${e.ext}:${e.msg}`));
    logging.forExtension('a').info('one');
    dispose();
    logging.forExtension('a').info('two');
    expect(seen).toEqual(['a:one']);
  });

  it('writes compact human lines when pretty', () => {
    const { logging, lines } = setup({ pretty: true });
    logging.forExtension('acme.echo').warn('slow reply');
    logging.root.info({ port: 5300 }, 'listening');

    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN  \[acme\.echo\] slow reply\n$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d INFO  \[kernel\] listening {"port":5300}\n$/);
    expect(logging.recent('acme.echo')).toHaveLength(1);
  });
});
