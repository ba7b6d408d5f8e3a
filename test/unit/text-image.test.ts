import { describe, expect, it } from 'vitest';
import { wrap } from '../../extensions/core/pipeline/text-image.js';

const mono = () => 1;

describe('long-text image wrapping', () => {
  it('breaks at spaces when it can and keeps paragraphs', () => {
    expect(wrap('aaa bbb ccc\nd', 7, mono)).toEqual(['aaa bbb', 'ccc', 'd']);
  });

  it('breaks inside a word (or CJK text) that is wider than a line', () => {
    expect(wrap('一二三四五六七', 3, mono)).toEqual(['一二三', '四五六', '七']);
    expect(wrap('abcdefgh', 3, mono)).toEqual(['abc', 'def', 'gh']);
  });
});
