import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where journals, locks and the error log live: `$XDG_STATE_HOME/hotspare`, else `~/.local/state/hotspare`. */
export function stateDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_STATE_HOME'] ?? join(homedir(), '.local', 'state');
  return join(base, 'hotspare');
}
