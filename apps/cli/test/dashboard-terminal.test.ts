// `deltaflow dashboard` in a pseudo-terminal (util-linux `script`), as a person runs it: it says what it does,
// prints its URL and how to stop it, and after Ctrl-C the shell's prompt starts on a line of its own.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bin, runCli, tempDir } from './helpers.js';

const dir = tempDir();

describe('deltaflow dashboard in a terminal', () => {
  it('describes itself honestly in the help', async () => {
    const { stdout } = await runCli(['--help'], dir);
    expect(stdout).toMatch(/dashboard +Serve the dashboard .*and print its URL/);
    expect(stdout).not.toMatch(/Open the dashboard/);
  });

  it('prints its URL with "Ctrl-C to stop", and ends the ^C line when stopped', async () => {
    const command = `stty cols 80 rows 30; exec '${process.execPath}' '${bin}' dashboard`;
    const child = spawn('/usr/bin/script', ['-qfec', command, '/dev/null'], { cwd: dir });
    let screen = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
      if (!sent && screen.includes('Ctrl-C to stop')) {
        sent = true;
        setTimeout(() => child.stdin.write('\x03'), 200); // Ctrl-C typed at the terminal
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(screen).toMatch(
      /^dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(open it in a browser; Ctrl-C to stop\)\r\n/,
    );
    expect(code).toBe(130);
    expect(screen.endsWith('^C\r\n')).toBe(true); // the prompt will not land on the ^C line
  });
});
