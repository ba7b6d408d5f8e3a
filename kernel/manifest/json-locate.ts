/**
 * The offset of the first JSON syntax error in `text`, or -1 if there is none.
 * JSON.parse does not always say where it failed (Node 20: "Unexpected token ']'"), and a manifest author needs a line.
 */
export function findJsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new Located(i);
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[i] !== char) fail();
    i++;
  };
  const string = () => {
    expect('"');
    while (i < text.length) {
      const char = text[i];
      if (char === '"') return void i++;
      if (char < ' ') fail();
      i += char === '\\' ? 2 : 1;
    }
    fail();
  };
  const list = (close: string, item: () => void) => {
    i++;
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      skipSpace();
      if (text[i] === close) return void i++;
      expect(',');
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text[i];
    if (char === '{') return list('}', () => (string(), expect(':'), value()));
    if (char === '[') return list(']', value);
    if (char === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail();
    return -1;
  } catch (error) {
    if (error instanceof Located) return error.offset;
    throw error;
  }
}

class Located {
  constructor(readonly offset: number) {}
}
