import { UsageError } from '../domain/errors.js';

/**
 * Which maintenance URLs may go into a redirect server's configuration. One rule for `validate`,
 * `plan`, the sandbox and the live launch, so a rehearsal refuses exactly what a real launch would.
 *
 * Allowed: RFC 3986 unreserved and most reserved characters. Refused: `%`, `$`, `'`, `"`, `;`,
 * `\`, braces, spaces, control characters: anything that could carry shell syntax, a heredoc
 * delimiter, a config-file quote, an nginx `$variable` or an Apache `%{expression}`.
 */
const URL_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!&()*+,=]+$/;

/** Why `url` may not be a redirect target, or undefined when it may. */
export function redirectUrlProblem(url: string): string | undefined {
  if (!URL_CHARS.test(url)) return 'it contains characters that are unsafe in a shell script or server config';
  if (!/^https?:\/\/[A-Za-z0-9[]/i.test(url)) return 'it must start with http:// or https:// and a host name';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a valid URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'it must not carry credentials';
  return undefined;
}

/** The operator-facing sentence for an unsafe URL: the same wherever it is refused. */
export function unsafeRedirectUrlMessage(url: string, problem: string): string {
  return `The redirect URL ${JSON.stringify(url)} is not allowed: ${problem}.`;
}

export const SAFE_URL_NEXT_STEPS =
  'Use a plain absolute URL such as https://maintenance.example.com/ (no spaces, quotes, $, ;, \\, braces or %-escapes).';

/** Throws a UsageError (code `UnsafeRedirectUrl`) unless `url` is a safe absolute http(s) URL. */
export function assertSafeRedirectUrl(url: string): void {
  const problem = redirectUrlProblem(url);
  if (problem === undefined) return;
  throw new UsageError(unsafeRedirectUrlMessage(url, problem), {
    code: 'UnsafeRedirectUrl',
    nextSteps: SAFE_URL_NEXT_STEPS,
  });
}

/**
 * Why the URL cannot take the request's path or query appended, or undefined. A target that keeps
 * the path must end its own path with `/` and carry no query or fragment; one that keeps the query
 * carries no query or fragment of its own.
 */
export function appendProblem(url: string, keepPath: boolean, keepQuery: boolean): string | undefined {
  if (!keepPath && !keepQuery) return undefined;
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.search !== '' || parsed.hash !== '' || url.includes('?') || url.includes('#')) {
    return "a target that keeps the request's path or query must have no query or fragment of its own";
  }
  if (keepPath && !parsed.pathname.endsWith('/')) return "a target that keeps the request's path must end with /";
  return undefined;
}

/**
 * The URL as the servers write it in `Location`: scheme and host lower-cased, `/` for an empty
 * path (what the WHATWG parser gives), nothing else changed. Call only on a safe URL.
 */
export function normalizeRedirectUrl(url: string): string {
  return new URL(url).href;
}
