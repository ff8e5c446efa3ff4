// Errors the CLI reports as one line and an exit code, without a stack trace.

/** Bad input the user can fix: exit code 1. */
export class UserError extends Error {
  readonly exitCode: number = 1;
}

/** Wrong command-line usage (unknown option, missing argument, unknown app or board): exit code 2. */
export class UsageError extends UserError {
  override readonly exitCode: number = 2;
}

/** One-line message listing the valid choices, for unknown names. */
export function unknownName(what: string, value: string, known: readonly string[]): UsageError {
  const list = known.length > 0 ? known.join(", ") : "(none)";
  return new UsageError(`unknown ${what} '${value}'; known ${what}s: ${list}`);
}
