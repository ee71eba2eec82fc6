import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The state directory: `$XDG_STATE_HOME/hotspare`, else `~/.local/state/hotspare`. An empty or
 * relative XDG_STATE_HOME is ignored, as the XDG Base Directory spec says. A module of its own:
 * the CLI's entry needs it without loading the rest of the context.
 */
export function stateDir(env: NodeJS.ProcessEnv): string {
  const xdg = env['XDG_STATE_HOME'];
  const base = xdg !== undefined && xdg !== '' && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state');
  return join(base, 'hotspare');
}
