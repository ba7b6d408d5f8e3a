/** An error meant for the author: the CLI prints its message (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** esbuild could not bundle the entry; each problem names file:line:column. */
export class BuildError extends CliError {
  constructor(readonly problems: string[]) {
    super(`The build failed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'BuildError';
  }
}
