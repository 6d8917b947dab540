import { startPlaygroundServer, startReplayServer } from '@deltaflow/dashboard/server';
import { EXIT } from '../errors.js';
import { warn } from '../output.js';
import { portNumber } from '../options/parse.js';
import { loadPlugins, pluginFilesForPage } from '../options/plugins.js';
import type { GlobalArgs } from '../commands/context.js';

/** The parsed flags of `deltaflow dashboard`. */
export interface DashboardArgs extends GlobalArgs {
  replay?: string;
  port?: string | number;
}

/**
 * Runs `deltaflow dashboard`: serves the page until Ctrl-C, printing its address and how to stop on stderr. A
 * replay's recording is read (as a stream) and checked first: a bad line is refused with its number (one line,
 * exit 1), and what was tolerated (a byte order mark, a cut last line) is said in one line each. Each `--plugin` file is served beside the page
 * (the playground's address names it, `?plugin=plugins/0/softsign.mjs`), so the page trains with it, or draws a
 * replayed model's heatmap with its activations; a package name, or a file that imports packages by name, is
 * said in one line to be unusable in the page. Returns 0, or 130 when
 * stopped by Ctrl-C.
 *
 * @example
 * ```ts
 * // not-runnable: reads run.jsonl, serves until Ctrl-C
 * const code = await serveDashboard({ replay: 'run.jsonl', port: 0 });
 * ```
 */
export async function serveDashboard(args: DashboardArgs): Promise<number> {
  const specifiers = [...new Set(args.plugin ?? [])];
  // Loaded here too, so that a broken plugin is reported before the page is served.
  await loadPlugins(specifiers);
  const port = args.port === undefined ? 0 : portNumber('--port', args.port);
  // the page installs each plugin file too (its worker trains with it; a replay draws its heatmap with it)
  const files = pluginFilesForPage(specifiers, warn);
  const server = args.replay
    ? await startReplayServer({
        file: args.replay,
        port,
        plugins: files,
        onWarning: (note) => warn(`deltaflow: ${note}`),
      })
    : await startPlaygroundServer({ port, plugins: files });
  warn(`dashboard: ${server.url} (open it in a browser; Ctrl-C to stop)`);
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    // The terminal echoed ^C without a newline: end that line, so the shell's prompt starts on its own.
    if (process.stderr.isTTY) process.stderr.write('\n');
    void server.close();
  };
  process.on('SIGINT', onSigint);
  try {
    await server.closed;
  } finally {
    process.off('SIGINT', onSigint);
  }
  return interrupted ? EXIT.interrupted : EXIT.ok;
}
