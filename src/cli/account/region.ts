/** Where a region setting came from. */
export type RegionSource = '--region' | 'runbook' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';

export interface RegionChoice {
  readonly region: string;
  readonly source: RegionSource;
  /** The other sources that name another region, which are not used. */
  readonly ignored: readonly { readonly source: RegionSource; readonly region: string }[];
}

export interface RegionSources {
  readonly flag?: string | undefined;
  readonly runbook?: string | undefined;
  /** The `region` of the profile in effect, with the profile's name. */
  readonly profile?: { readonly name: string; readonly region: string } | undefined;
  readonly env: NodeJS.ProcessEnv;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The region of a command. For a runbook: `--region`, else the runbook's own `region` (where its
 * resources are; the runbook always names one). AWS_REGION, AWS_DEFAULT_REGION and the profile's
 * region come after these, in the AWS CLI's order, and matter only without a runbook (`site
 * publish`); `fallback` is last. The sources that name another region are kept, so the header can say so.
 */
export function chooseRegion(sources: RegionSources, fallback = 'us-east-1'): RegionChoice {
  const all: { source: RegionSource; region: string | undefined }[] = [
    { source: '--region', region: present(sources.flag) },
    { source: 'runbook', region: present(sources.runbook) },
    { source: 'AWS_REGION', region: present(sources.env['AWS_REGION']) },
    { source: 'AWS_DEFAULT_REGION', region: present(sources.env['AWS_DEFAULT_REGION']) },
    { source: 'profile', region: present(sources.profile?.region) },
  ];
  const given = all.filter((s): s is { source: RegionSource; region: string } => s.region !== undefined);
  const chosen = given[0] ?? { source: 'runbook' as const, region: fallback };
  return { region: chosen.region, source: chosen.source, ignored: given.filter((s) => s.region !== chosen.region) };
}

/**
 * The region as the header shows it: just the region when every source agrees, else where it came
 * from and what else was set, e.g. `us-east-1 (runbook; AWS_REGION eu-west-1 not used)`.
 */
export function regionLabel(choice: RegionChoice, profileName?: string): string {
  if (choice.ignored.length === 0) return choice.region;
  const name = (s: RegionSource): string =>
    s === 'profile' && profileName !== undefined ? `profile ${profileName}` : s;
  return `${choice.region} (${name(choice.source)}; ${choice.ignored.map((i) => `${name(i.source)} ${i.region}`).join(', ')} not used)`;
}
