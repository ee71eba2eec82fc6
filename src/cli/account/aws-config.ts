import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A section of an INI file: its keys (lower case) and values. Nested values (`s3 =` + indented lines) are left out. */
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

/** Parse INI text into sections. Comments start with `#` or `;`; indented lines continue a nested value. */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  // After `s3 =` (no value), indented lines are its nested settings, not the profile's.
  let nested = false;
  for (const raw of text.split(/\r?\n/)) {
    if (nested && /^\s/.test(raw)) continue;
    nested = false;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header?.[1] !== undefined) {
      current = sections.get(header[1]) ?? {};
      sections.set(header[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current === undefined || eq < 0) continue;
    const value = line.slice(eq + 1).trim();
    current[line.slice(0, eq).trim().toLowerCase()] = value;
    nested = value === '';
  }
  return sections;
}

function readIni(file: string): Map<string, Record<string, string>> {
  try {
    return parseIni(readFileSync(file, 'utf8'));
  } catch {
    // A missing or unreadable file holds no profile; the SDK says the same.
    return new Map();
  }
}

/** Read the files at AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials. */
export function readSharedConfig(env: NodeJS.ProcessEnv): SharedConfig {
  const configFile = env['AWS_CONFIG_FILE'] || join(homeOf(env), '.aws', 'config');
  const credentialsFile = env['AWS_SHARED_CREDENTIALS_FILE'] || join(homeOf(env), '.aws', 'credentials');
  const config = readIni(configFile);
  const configProfiles = new Map<string, Section>();
  const ssoSessions = new Map<string, Section>();
  for (const [name, section] of config) {
    if (name === 'default') configProfiles.set('default', section);
    const [kind, ...rest] = name.split(/\s+/);
    const named = rest.join(' ');
    if (kind === 'profile' && named !== '') configProfiles.set(named, section);
    if (kind === 'sso-session' && named !== '') ssoSessions.set(named, section);
  }
  return { configFile, credentialsFile, configProfiles, credentialProfiles: readIni(credentialsFile), ssoSessions };
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
