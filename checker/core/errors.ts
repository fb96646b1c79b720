// Errors a user can cause carry a code, a location and a hint; bugs in the checker are plain throws.

/** A mistake in a spec found while running it: an exception, an impure or nondeterministic action,
 *  a successor outside its declared type. Exit code 150. */
export class SpecError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail: {
      readonly action?: string;
      readonly state?: string;
      readonly hint?: string;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'SpecError';
  }
}

/** A mistake in a model file or on the command line, with where it is. Exit code 151. */
export class ConfigError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly where: {
      readonly file?: string;
      readonly line?: number;
      readonly col?: number;
      /** The key path in the model file the error is about (lets a caller restate it, e.g. for a trace). */
      readonly key?: readonly (string | number)[];
    } = {},
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** `file:line:col: error CODE: message` and, on a second line, the hint. */
  format(): string {
    const { file, line, col } = this.where;
    const loc = file ? `${file}${line ? `:${line}${col ? `:${col}` : ''}` : ''}: ` : '';
    return `${loc}error ${this.code}: ${this.message}${this.hint ? `\n  hint: ${this.hint}` : ''}`;
  }
}

/** A config mistake found where the model file's location is not known (while building the model):
 *  `path` is the key path in the model file, and the resolver turns it into a located ConfigError. */
export class UnplacedConfigError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path: readonly (string | number)[],
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UnplacedConfigError';
  }
}

/** A limit of the engine itself (not the spec's fault) met while the spec's actions ran: passed
 *  through unchanged where a spec's exceptions are turned into spec errors. */
export class EngineLimit extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineLimit';
  }
}
