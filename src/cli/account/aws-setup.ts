import { readSharedConfig, profileSettings } from './aws-config.js';
import { checkCredentials, profileInEffect } from './credentials.js';
import { chooseRegion, regionLabel } from './region.js';

/** What the CLI hands the AWS adapters, and how it shows the region. */
export interface AwsSetup {
  readonly region: string;
  /** The region for the header: with its source when another source names another region. */
  readonly regionLabel: string;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
  /**
   * Check the credentials from the shared files (a missing profile, an expired SSO session, none at
   * all: each its own message, before any call) and prepare the SDK's environment. Call it just
   * before the first SDK client is built.
   */
  readonly prepare: () => void;
}

export interface AwsFlags {
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
}

/**
 * The SDK reads its settings from the process environment. `--profile X` is made exactly
 * `AWS_PROFILE=X` (the SDK's `profile` option alone ignores the profile's `endpoint_url`), and the
 * SDK's nine-line NodeVersionSupportWarning is turned off with its own switch, so it does not print
 * over the dashboard; every other warning still prints. Called just before SDK clients are built.
 */
function prepareSdkEnvironment(profileFlag: string | undefined): void {
  if (profileFlag !== undefined) process.env['AWS_PROFILE'] = profileFlag;
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}

/**
 * Region, profile and endpoint for a command that talks to AWS (`runbookRegion` is the runbook's,
 * when there is one; see `chooseRegion`), from the flags, the environment and the shared files.
 */
export async function awsSetup(
  flags: AwsFlags,
  runbookRegion: string | undefined,
  env: NodeJS.ProcessEnv,
  now = Date.now(),
): Promise<AwsSetup> {
  const config = await readSharedConfig(env);
  const profile = profileInEffect(flags.profile, env);
  const settings = profileSettings(config, profile ?? 'default');
  const region = settings?.['region'];
  const choice = chooseRegion({
    flag: flags.region,
    runbook: runbookRegion,
    env,
    profile: region === undefined ? undefined : { name: profile ?? 'default', region },
  });
  const prepare = (): void => {
    checkCredentials(profile, config, env, now);
    prepareSdkEnvironment(flags.profile);
  };
  return {
    region: choice.region,
    regionLabel: regionLabel(choice, profile ?? 'default'),
    profile,
    endpointUrl: flags.endpointUrl,
    prepare,
  };
}
