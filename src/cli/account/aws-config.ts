import { loadSharedConfigFiles } from '@smithy/core/config';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A section of a shared file: its keys and values, as the SDK reads them. */
export type Section = Readonly<Record<string, string>>;

/** The shared AWS config and credentials files, as far as hotspare needs them (read, never written). */
export interface SharedConfig {
  readonly configFile: string;
  readonly credentialsFile: string;
  /** `[profile NAME]` (and `[default]`) of the config file. */
  readonly configProfiles: ReadonlyMap<string, Section>;
  /** `[NAME]` of the credentials file. */
  readonly credentialProfiles: ReadonlyMap<string, Section>;
  /** `[sso-session NAME]` of the config file. */
  readonly ssoSessions: ReadonlyMap<string, Section>;
}

/** The home directory as the SDK finds it: HOME first. */
export function homeOf(env: NodeJS.ProcessEnv): string {
  return env['HOME'] !== undefined && env['HOME'] !== '' ? env['HOME'] : homedir();
}

const SSO_SESSION = 'sso-session.';
const SERVICES = 'services.';

/**
 * Read the files at AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
 * ~/.aws/credentials, with the SDK's own loader (the one its clients use, so hotspare reads them as
 * the SDK will): a missing or unreadable file holds no profile. The paths come from `env`, not the
 * process's.
 */
export async function readSharedConfig(env: NodeJS.ProcessEnv): Promise<SharedConfig> {
  const configFile = env['AWS_CONFIG_FILE'] || join(homeOf(env), '.aws', 'config');
  const credentialsFile = env['AWS_SHARED_CREDENTIALS_FILE'] || join(homeOf(env), '.aws', 'credentials');
  const files = await loadSharedConfigFiles({ configFilepath: configFile, filepath: credentialsFile });
  const configProfiles = new Map<string, Section>();
  const ssoSessions = new Map<string, Section>();
  // The loader names `[profile X]` X, `[default]` default, `[sso-session X]` sso-session.X.
  for (const [name, section] of Object.entries(files.configFile)) {
    if (name.startsWith(SSO_SESSION)) ssoSessions.set(name.slice(SSO_SESSION.length), section as Section);
    else if (!name.startsWith(SERVICES)) configProfiles.set(name, section as Section);
  }
  const credentialProfiles = new Map(
    Object.entries(files.credentialsFile).map(([name, section]) => [name, section as Section]),
  );
  return { configFile, credentialsFile, configProfiles, credentialProfiles, ssoSessions };
}

/** Every profile name in either file. */
export function profileNames(config: SharedConfig): string[] {
  return [...new Set([...config.configProfiles.keys(), ...config.credentialProfiles.keys()])].sort();
}

/** A profile's settings: the config file's, with the credentials file's over them. */
export function profileSettings(config: SharedConfig, name: string): Section | undefined {
  const fromConfig = config.configProfiles.get(name);
  const fromCredentials = config.credentialProfiles.get(name);
  if (fromConfig === undefined && fromCredentials === undefined) return undefined;
  return { ...fromConfig, ...fromCredentials };
}
