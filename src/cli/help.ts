export const COMMANDS = ['validate', 'plan', 'failover', 'resume', 'rollback', 'abandon', 'status', 'drill', 'timeline', 'iam-policy', 'prepare'] as const;
export type CommandName = (typeof COMMANDS)[number];

const COMMON = `
AWS:      --region R  --profile P  --endpoint-url URL   (default credential chain; AWS_ENDPOINT_URL honoured)
Sandbox:  --sandbox  --speed N  --fault throttle|capacity|access-denied|redirect-unhealthy|origin-500  --traffic-rate N
          account shapes: --fault https-target-group|health-check-port|matcher-3xx|no-route-out|ubuntu-image|windows-image
          --outage-after SECONDS (the web servers start failing: a scripted outage)
Output:   --headless (line printer instead of the dashboard)  --json (one JSON event per line)
State:    --journal-dir DIR (default $XDG_STATE_HOME/hotspare or ~/.local/state/hotspare)
Exit codes: 0 done; 1 a step or verification failed (run journaled, resumable); 2 usage or invalid runbook; 3 refused.`;

const TEXT: Record<CommandName | 'main', string> = {
  main: `hotspare — keep the site up on its worst day

Usage: hotspare [COMMAND] [RUNBOOK] [flags]

With no command, opens the live dashboard for RUNBOOK (with --sandbox and no RUNBOOK: the bundled sandbox drill).

Commands:
  validate RUNBOOK...   check runbook files (file:line:col errors)
  plan RUNBOOK          the steps, exact API calls, hazards and strategies (--discover reads the account)
  failover RUNBOOK      run the runbook's steps: confirm each, journal everything (--yes, --dry-run)
  resume RUNBOOK        go on with an unfinished run (in-doubt steps verified first)
  rollback RUNBOOK      undo the latest run in reverse, from its journal (confirmed first)
  abandon RUNBOOK       close a run that cannot be rolled back; lists what it left in AWS
  status RUNBOOK        origin health: targets, instances, listener, latest run
  drill RUNBOOK         failover, verify, hold (--hold SECONDS), roll back: a game day in one process
  timeline RUN          Markdown incident timeline from a run's journal
  iam-policy RUNBOOK    the least-privilege IAM policy the runbook needs
  site snapshot|check|publish|refresh   the maintenance site: copy the live site, check it, publish it to S3
                        (\`hotspare site --help\`)
  prepare RUNBOOK       keep a stopped spare redirect instance ready: the failover then only starts it
${COMMON}`,
  validate: 'Usage: hotspare validate RUNBOOK...\n\nValidates each runbook; prints file:line:col for every problem. Exit 0 when all are valid, 2 otherwise.',
  plan: `Usage: hotspare plan RUNBOOK [--discover] [--json]\n\nPrints each step with the exact API calls it will make and how rollback reverses it, the hazards (zero-healthy-target windows with their expected length, steps without undo) and a comparison of strategies. Reads the account with --discover, --sandbox, --endpoint-url or --profile; otherwise assumes the ALB defaults.\n${COMMON}`,
  failover: `Usage: hotspare failover RUNBOOK [--yes] [--dry-run]\n\nRuns the runbook step by step. Each mutating step is confirmed (live mode: type the runbook's name for the first one); --yes confirms all. --dry-run reads everything and sends no mutation.\n${COMMON}`,
  resume: `Usage: hotspare resume RUNBOOK\n\nGoes on with the unfinished run: finished steps are skipped, a step whose outcome was never journaled is verified against AWS first.\n${COMMON}`,
  rollback: `Usage: hotspare rollback RUNBOOK [--yes] [--dry-run]\n\nUndoes the latest run's steps in reverse from its journal: re-registers the web servers and waits until healthy, deregisters and terminates the redirect instance (every instance tagged with the run), restores listener actions and DNS records. Shows what will be undone and the web servers' health first and asks to confirm (live mode: type the runbook's name, then confirm each undo). Every undo reads the current state first, so running it again finishes an incomplete rollback. Without a terminal a live rollback needs --yes. --dry-run lists the undo calls and sends nothing.\n${COMMON}`,
  abandon: `Usage: hotspare abandon RUNBOOK\n\nCloses the unfinished run when a rollback cannot finish: reads what the run left in AWS (the state of every step not undone), journals it and prints it. Nothing is changed in AWS; the next failover is then accepted. \`status\` and \`timeline\` keep showing what was left.\n${COMMON}`,
  status: `Usage: hotspare status RUNBOOK [--json]\n\nOrigin health from AWS: each target with instance id, Name tag, AZ, port, state and reason; counts; the listener's default action; the latest run.\n${COMMON}`,
  drill: `Usage: hotspare drill RUNBOOK [--hold SECONDS] [--yes]\n\nA game day in one process: failover, verification, a hold, then rollback. With --sandbox it ends with the traffic served and failed.\n${COMMON}`,
  timeline: 'Usage: hotspare timeline RUN [--journal-dir DIR]\n\nPrints a Markdown incident timeline (who, what, when, request ids) from the journal of RUN (a run id or a journal file).',
  'iam-policy': 'Usage: hotspare iam-policy RUNBOOK [--json]\n\nPrints the least-privilege IAM policy document the runbook needs.',
  prepare: `Usage: hotspare prepare RUNBOOK [--dry-run]\n\nBefore an incident: launches the redirect instance for the target group as it is now, with its server installed and configured; the instance checks its own health answer and powers itself off. At incident time launch-redirect starts this stopped spare (no install, no way out needed) and rollback stops it again. Run it again after changing the target group, the maintenance URL or the server: a spare made for another config is not used, and is replaced.\n${COMMON}`,
};

export function helpText(command: CommandName | 'dashboard'): string {
  return TEXT[command === 'dashboard' ? 'main' : command];
}
