/**
 * Shared by the commands: where a command handler leaves its exit code for `main` to return.
 */
export interface CommandContext {
  exitCode: number;
}

/**
 * Flags every command has: `--plugin` (repeatable) and `--verbose`. Declared globally in main.ts; each command's
 * handler reads them from its arguments.
 */
export interface GlobalArgs {
  plugin?: string[];
  verbose?: boolean;
}
