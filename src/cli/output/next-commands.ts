/** What a later command needs to find the same run: the runbook as given and the flags that locate it. */
export interface Invocation {
  /** The runbook as the operator named it; undefined for the bundled sandbox drill. */
  readonly runbook?: string | undefined;
  readonly sandbox: boolean;
  readonly journalDir?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
}

export type NextVerb = 'resume' | 'rollback' | 'abandon' | 'status';

/** The flags that locate a run, as far as a command takes them. */
export type LocatingFlags = Partial<Omit<Invocation, 'runbook' | 'sandbox'>> & {
  readonly sandbox?: boolean | undefined;
};

/** How a command was started: the runbook as given and the flags that locate its run. */
export function invocationOf(runbook: string | undefined, flags: LocatingFlags): Invocation {
  return {
    runbook,
    sandbox: flags.sandbox === true,
    journalDir: flags.journalDir,
    region: flags.region,
    profile: flags.profile,
    endpointUrl: flags.endpointUrl,
  };
}

/** A word as the shell reads it back: quoted only when it must be. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line that acts on the same run: `hotspare rollback runbooks/x.yaml --journal-dir D`.
 * The AWS flags come along (a rollback must talk to the same account and region as the failover).
 */
export function nextCommand(verb: NextVerb, inv: Invocation): string {
  const words = ['hotspare', verb];
  if (inv.runbook !== undefined) words.push(inv.runbook);
  if (inv.sandbox) words.push('--sandbox');
  const flags: [string, string | undefined][] = [
    ['--journal-dir', inv.journalDir],
    ['--region', inv.region],
    ['--profile', inv.profile],
    ['--endpoint-url', inv.endpointUrl],
  ];
  for (const [flag, value] of flags) if (value !== undefined) words.push(flag, value);
  return words.map(shellWord).join(' ');
}

/**
 * Whether a later process can act on this run. A sandbox's simulated account lives in the process
 * that runs it (a new one has other instance ids and ARNs), so a sandbox run can be read later
 * (`timeline --sandbox`) but not resumed or rolled back.
 */
export function laterProcessCanAct(inv: Invocation): boolean {
  return !inv.sandbox;
}

/**
 * `text` with the placeholder commands of engine and step messages (`hotspare rollback RUNBOOK`)
 * made real for this invocation, so they can be pasted as they are.
 */
export function withRealCommands(text: string, inv: Invocation): string {
  return text.replace(
    /`hotspare (resume|rollback|abandon|status) RUNBOOK`/g,
    (_, verb: NextVerb) => `\`${nextCommand(verb, inv)}\``,
  );
}

/** The real command line of each verb, for the dashboard's messages (see `withRealCommands`). */
export function nextCommandsOf(inv: Invocation): Record<NextVerb, string> {
  return {
    resume: nextCommand('resume', inv),
    rollback: nextCommand('rollback', inv),
    abandon: nextCommand('abandon', inv),
    status: nextCommand('status', inv),
  };
}

/** The command that shows this invocation's latest run as a timeline. */
export function timelineCommand(inv: Invocation): string {
  if (inv.journalDir !== undefined) return `hotspare timeline --journal-dir ${shellWord(inv.journalDir)}`;
  return inv.sandbox ? 'hotspare timeline --sandbox' : 'hotspare timeline';
}

/** What to do about a run this process leaves unfinished (quit, Ctrl-C, a failure), in one sentence. */
export function leftRunHint(inv: Invocation): string {
  if (!laterProcessCanAct(inv))
    return `The simulated account ends with this process; its journal stays (\`${timelineCommand(inv)}\` shows the run).`;
  return `The run stays journaled: \`${nextCommand('resume', inv)}\` goes on, \`${nextCommand('rollback', inv)}\` undoes it.`;
}
