import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noCredentials, ssoSessionExpired } from '../../domain/failures.js';
import { UsageError } from '../../domain/errors.js';
import { closest } from '../../runbook/closest.js';
import { homeOf, profileNames, profileSettings, type Section, type SharedConfig } from './aws-config.js';

/**
 * Credentials checked before the first AWS call, from the shared files alone (no network), so each
 * common problem gets its own message and the exact command that fixes it: a profile that does not
 * exist, an SSO session that has expired (or never started here), no credentials at all. What
 * cannot be known without calling AWS (an instance role, a token the SDK can refresh) is left to
 * the SDK, whose errors `aws/errors.ts` translates.
 */

/** The profile in effect: --profile, else AWS_PROFILE (as the SDK reads it). */
export function profileInEffect(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return [flag, env['AWS_PROFILE']].find((p) => p !== undefined && p !== '');
}

function missingProfile(name: string, config: SharedConfig): UsageError {
  const names = profileNames(config);
  const near = closest(name, names);
  const known = names.length === 0 ? 'There is no profile in either file.' : `Profiles there: ${names.join(', ')}.`;
  return new UsageError(`The AWS profile "${name}" is not in ${config.configFile} or ${config.credentialsFile}.`, {
    code: 'ProfileNotFound',
    nextSteps: `${near === undefined ? '' : `Did you mean \`--profile ${near}\`? `}${known} To create it: \`aws configure sso --profile ${name}\` (IAM Identity Center) or \`aws configure --profile ${name}\` (access keys).`,
  });
}

interface SsoToken {
  readonly expiresAt?: string;
  readonly refreshToken?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly registrationExpiresAt?: string;
}

function cachedToken(env: NodeJS.ProcessEnv, key: string): SsoToken | undefined {
  const file = join(homeOf(env), '.aws', 'sso', 'cache', `${createHash('sha1').update(key).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SsoToken;
  } catch {
    return undefined;
  }
}

/** Whether the SDK can refresh an expired token itself (an `sso-session` with a live client registration). */
function refreshable(token: SsoToken, session: boolean, now: number): boolean {
  const registration = Date.parse(token.registrationExpiresAt ?? '');
  return (
    session &&
    token.refreshToken !== undefined &&
    token.clientId !== undefined &&
    token.clientSecret !== undefined &&
    registration > now
  );
}

/** The SSO problem of a profile that signs in with SSO, if any. */
function ssoProblem(
  name: string,
  settings: Section,
  config: SharedConfig,
  env: NodeJS.ProcessEnv,
  now: number,
): UsageError | undefined {
  const session = settings['sso_session'];
  const startUrl =
    session === undefined ? settings['sso_start_url'] : config.ssoSessions.get(session)?.['sso_start_url'];
  if (session === undefined && startUrl === undefined) return undefined;
  const token = cachedToken(env, session ?? startUrl ?? '');
  if (token === undefined)
    return ssoSessionExpired(
      `The AWS profile "${name}" signs in with SSO, and there is no SSO session for it on this machine.`,
      name,
    );
  const expires = Date.parse(token.expiresAt ?? '');
  if (Number.isNaN(expires) || expires > now || refreshable(token, session !== undefined, now)) return undefined;
  return ssoSessionExpired(
    `The SSO session of the AWS profile "${name}" expired at ${new Date(expires).toISOString()}.`,
    name,
  );
}

/** The problem of a profile and the profiles it takes credentials from (`source_profile`). */
function profileProblem(
  name: string,
  config: SharedConfig,
  env: NodeJS.ProcessEnv,
  now: number,
  seen: ReadonlySet<string> = new Set(),
): UsageError | undefined {
  const settings = profileSettings(config, name);
  if (settings === undefined) return missingProfile(name, config);
  const sso = ssoProblem(name, settings, config, env, now);
  if (sso !== undefined) return sso;
  const source = settings['source_profile'];
  if (source === undefined || seen.has(source) || source === name) return undefined;
  return profileProblem(source, config, env, now, new Set([...seen, name]));
}

const OTHER_SOURCES = [
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

/** Nothing the SDK's chain could use, and no instance role to ask (IMDS turned off). */
function surelyNone(config: SharedConfig, env: NodeJS.ProcessEnv): boolean {
  if (env['AWS_ACCESS_KEY_ID'] !== undefined && env['AWS_ACCESS_KEY_ID'] !== '') return false;
  if (OTHER_SOURCES.some((k) => env[k] !== undefined && env[k] !== '')) return false;
  if (profileSettings(config, 'default') !== undefined) return false;
  return env['AWS_EC2_METADATA_DISABLED'] === 'true';
}

function noneAtAll(config: SharedConfig): UsageError {
  const names = profileNames(config);
  if (names.length === 0) return noCredentials();
  return noCredentials(
    undefined,
    `Name one of your profiles: \`--profile ${names[0]}\` (in ${config.configFile}: ${names.join(', ')}), or sign in with \`aws configure sso\` / \`aws configure\`.`,
  );
}

/**
 * Throws the operator-facing error for credentials that surely cannot work; returns when they may.
 * `profile` is the one in effect (see `profileInEffect`).
 */
export function checkCredentials(
  profile: string | undefined,
  config: SharedConfig,
  env: NodeJS.ProcessEnv,
  now: number,
): void {
  const problem =
    profile !== undefined
      ? profileProblem(profile, config, env, now)
      : surelyNone(config, env)
        ? noneAtAll(config)
        : defaultProblem(config, env, now);
  if (problem !== undefined) throw problem;
}

/** Without a profile named, the environment's keys win; else the `default` profile is used. */
function defaultProblem(config: SharedConfig, env: NodeJS.ProcessEnv, now: number): UsageError | undefined {
  if (env['AWS_ACCESS_KEY_ID'] !== undefined && env['AWS_ACCESS_KEY_ID'] !== '') return undefined;
  const settings = profileSettings(config, 'default');
  return settings === undefined ? undefined : ssoProblem('default', settings, config, env, now);
}
