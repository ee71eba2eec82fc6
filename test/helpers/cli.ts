import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The built CLI; `npm test` builds it first. */
export const BIN = 'dist/cli/bin.js';

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fail loudly, rather than skip, when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does).`);
}

/** Run the built CLI headless, with no AWS settings from the machine running the tests. */
export function hotspare(...args: string[]): Ran {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['AWS_ENDPOINT_URL'];
  delete env['AWS_PROFILE'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
