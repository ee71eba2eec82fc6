import { fileURLToPath } from 'node:url';

/**
 * Files of the package, found from this module. It stays at the top of `src/cli/`: compiled from
 * here, and bundled into `dist/cli/` (every chunk sits there, see `scripts/bundle.mjs`), the package
 * root is two folders up.
 */

/** The runbook `hotspare --sandbox` opens when none is named. */
export const BUNDLED_SANDBOX_RUNBOOK = fileURLToPath(new URL('../../runbooks/sandbox.yaml', import.meta.url));

/** The package's package.json (for `--version`). */
export const PACKAGE_JSON = new URL('../../package.json', import.meta.url);
