import type { ErrorKind } from './errors.js';

/**
 * Every code a hotspare error carries: one closed list. Codes are published (`--json`: an error
 * object's `code`, each event's and journal record's `error.code`) and stable; the words of a
 * message may change, a code does not. `docs/error-codes.md` lists them (a test keeps it the same
 * as this list). An AWS error hotspare has no code of its own for is `AwsError`, with AWS's own code
 * beside it in `awsCode`.
 */
export const ERROR_CODES = {
  // ---- AWS and the network said no (external: the run stays journaled and resumable)
  AccessDenied: {
    kind: 'external',
    meaning:
      'The credentials in use may not call an AWS action; `hotspare iam-policy RUNBOOK` prints every permission the runbook needs.',
  },
  Throttling: {
    kind: 'external',
    meaning:
      'AWS kept throttling a request (reads are tried again for 5 minutes first); other tools polling the account share the limit.',
  },
  InsufficientInstanceCapacity: {
    kind: 'external',
    meaning:
      "AWS has no capacity for the redirect instance's type (nor its fallbackInstanceTypes) in the subnet's Availability Zone.",
  },
  InvalidTarget: {
    kind: 'external',
    meaning: 'The load balancer refused a target: its instance is not running, or is in another VPC.',
  },
  IncorrectInstanceState: {
    kind: 'external',
    meaning: 'An instance was changing state and the call could not act on it yet.',
  },
  ExpiredToken: { kind: 'external', meaning: 'The AWS credentials expired during the command.' },
  BadCredentials: {
    kind: 'external',
    meaning: 'AWS rejected the credentials (a key of another account, a wrong secret); `awsCode` says how.',
  },
  NetworkError: {
    kind: 'external',
    meaning:
      'The AWS endpoint did not answer; a change sent may or may not have been made (every undo and retry reads first).',
  },
  AwsError: {
    kind: 'external',
    meaning:
      "AWS refused a call with an error hotspare has no code of its own for; `awsCode` is AWS's code and the message AWS's words.",
  },
  DeleteFailed: {
    kind: 'external',
    meaning: "S3 did not delete some objects of the maintenance bucket; `awsCode` is S3's code for the first.",
  },
  AMINotFound: {
    kind: 'external',
    meaning: "The redirect instance's image does not exist in this account and region.",
  },
  AutoScalingGroupNotFound: { kind: 'external', meaning: 'An Auto Scaling group the run suspended no longer exists.' },
  BucketNotFound: { kind: 'external', meaning: 'The maintenance bucket does not exist (or is in another account).' },
  CertificateNotFound: {
    kind: 'external',
    meaning: "The maintenance site's ACM certificate does not exist (in us-east-1, where CloudFront reads it).",
  },
  CertificatePending: {
    kind: 'external',
    meaning:
      "The maintenance site's certificate is not issued yet (its DNS validation record is missing or not yet seen); `site provision` goes on where it stopped.",
  },
  CNAMEAlreadyExists: {
    kind: 'external',
    meaning: 'CloudFront refused an alternate domain name: another distribution (in any account) already carries it.',
  },
  ChangeNotFound: { kind: 'external', meaning: 'Route 53 does not know the change hotspare waits for.' },
  DistributionNotFound: { kind: 'external', meaning: "The maintenance site's CloudFront distribution does not exist." },
  DnsRecordNotFound: { kind: 'external', meaning: 'The DNS record to delete does not exist.' },
  HealthCheckNotFound: { kind: 'external', meaning: 'A Route 53 health check does not exist.' },
  HostedZoneNotFound: { kind: 'external', meaning: "The runbook's hosted zone does not exist in this account." },
  InstanceNotFound: { kind: 'external', meaning: 'An instance does not exist (or the id is malformed).' },
  InstanceTypeNotFound: { kind: 'external', meaning: "The redirect instance's type does not exist in this region." },
  InvalidationNotFound: { kind: 'external', meaning: 'CloudFront does not know the invalidation hotspare waits for.' },
  KeyPairNotFound: { kind: 'external', meaning: "The runbook's key pair does not exist in this region." },
  ListenerNotFound: { kind: 'external', meaning: "The runbook's listener does not exist." },
  LoadBalancerNotFound: { kind: 'external', meaning: 'The load balancer does not exist.' },
  RuleNotFound: { kind: 'external', meaning: 'A listener rule does not exist (any more).' },
  SecurityGroupNotFound: {
    kind: 'external',
    meaning: 'A security group of the runbook does not exist in this region.',
  },
  SSMParameterNotFound: { kind: 'external', meaning: 'The SSM parameter the image is resolved from does not exist.' },
  SubnetNotFound: { kind: 'external', meaning: "The runbook's subnet does not exist in this region." },
  TargetGroupNotFound: {
    kind: 'external',
    meaning: "The runbook's target group does not exist in this account and region.",
  },
  // ---- A run that did not go as planned (external)
  Timeout: { kind: 'external', meaning: 'A wait (healthy, draining, in sync) ran out of time.' },
  VerificationFailed: { kind: 'external', meaning: 'A step ran but reading back showed its effect does not hold.' },
  RedirectBootFailed: {
    kind: 'external',
    meaning: 'The redirect instance powered itself off: its boot could not start the server (its console says why).',
  },
  PreflightFailed: { kind: 'external', meaning: 'A read-only check before the failover failed; nothing was changed.' },
  NoWebTargets: { kind: 'external', meaning: "The runbook's web servers are not registered in the target group." },
  NoWayOut: {
    kind: 'external',
    meaning: 'The redirect server installs packages at boot and its subnet has no way out.',
  },
  ChangedSinceFailover: {
    kind: 'external',
    meaning: 'Someone changed the listener, a rule or the record since the failover: rollback leaves it alone.',
  },
  SpareLost: { kind: 'external', meaning: 'A spare being prepared was terminated.' },
  SpareNotReady: {
    kind: 'external',
    meaning: 'A spare being prepared did not power itself off in time (its server never answered its own check).',
  },
  Interrupted: {
    kind: 'external',
    meaning:
      'The command was stopped (quit, a signal, the terminal closed) before it finished; journaled and resumable.',
  },
  DiskFull: { kind: 'external', meaning: "The journal directory's disk is full." },
  StateFileError: {
    kind: 'external',
    meaning: 'A file of the journal directory could not be read or written (the message names it).',
  },
  SourceInMaintenance: {
    kind: 'external',
    meaning:
      'The site to copy is itself in maintenance (it redirects to, or serves, the maintenance copy): nothing was copied.',
  },
  StartRedirectsAway: {
    kind: 'external',
    meaning: 'The site to copy redirects to another host (`--allow-redirect HOST` allows one).',
  },
  NothingToCopy: { kind: 'external', meaning: 'The site to copy answered nothing a copy can be made of.' },
  // ---- The operator's input (usage: exit 2, nothing changed)
  InvalidRunbook: {
    kind: 'usage',
    meaning: 'The runbook is not valid; every problem names file:line:col and the field.',
  },
  MissingRunbook: { kind: 'usage', meaning: 'The command needs a runbook file.' },
  NoRedirectServer: { kind: 'usage', meaning: "A step needs the runbook's redirectServer section." },
  NoListener: { kind: 'usage', meaning: 'A listener step needs loadBalancer.listener in the runbook.' },
  NoDnsSection: { kind: 'usage', meaning: "dns-failover needs the runbook's dns section." },
  MissingRedirectInstance: {
    kind: 'usage',
    meaning: 'A step needs the redirect instance of a launch-redirect step before it.',
  },
  NoLaunchStep: { kind: 'usage', meaning: '`prepare` needs a runbook with a launch-redirect step.' },
  NoBucket: { kind: 'usage', meaning: '`site refresh` needs maintenance.bucket in the runbook.' },
  BadCommand: { kind: 'usage', meaning: 'No such command.' },
  BadArgument: { kind: 'usage', meaning: "A command's argument is not what it takes." },
  MissingArgument: { kind: 'usage', meaning: "A command's argument is missing." },
  BadFlag: { kind: 'usage', meaning: 'A flag is unknown, belongs to another command, or has a bad value.' },
  MissingBucket: { kind: 'usage', meaning: '`site publish` needs --bucket.' },
  MissingOut: { kind: 'usage', meaning: '`site snapshot` needs --out.' },
  EmptyRegion: { kind: 'usage', meaning: '--region (or the region in effect) is empty.' },
  NoCredentials: { kind: 'usage', meaning: 'No AWS credentials were found.' },
  SsoSessionExpired: {
    kind: 'usage',
    meaning: "The profile's SSO session expired or was never started on this machine.",
  },
  ProfileNotFound: { kind: 'usage', meaning: 'The AWS profile named is not in the shared config files.' },
  UnsupportedImage: {
    kind: 'usage',
    meaning: 'No supported redirect server runs on the image (Windows, another architecture).',
  },
  UnservableMatcher: {
    kind: 'usage',
    meaning: "The target group's health-check matcher accepts no status the redirect server can answer.",
  },
  UnsupportedProtocol: { kind: 'usage', meaning: 'The target group speaks a protocol other than HTTP or HTTPS.' },
  InvalidPort: { kind: 'usage', meaning: 'The target group names a port that is not a TCP port.' },
  UnsafeHealthCheckPath: {
    kind: 'usage',
    meaning: "The health-check path cannot be written safely into the server's config.",
  },
  MixedProtocols: {
    kind: 'usage',
    meaning: 'The health check and the traffic use different protocols on the same port.',
  },
  UnsafeRedirectUrl: {
    kind: 'usage',
    meaning: "The maintenance URL cannot be written safely into the redirect server's config.",
  },
  InvalidStatusCode: { kind: 'usage', meaning: 'The redirect status is neither 301 nor 302.' },
  UserDataTooLarge: { kind: 'usage', meaning: "The redirect server's user data would be over EC2's 16 KB." },
  NeedsConfirmation: { kind: 'usage', meaning: 'Changes to AWS outside a terminal need --yes.' },
  RollbackNeedsConfirmation: { kind: 'usage', meaning: 'A live rollback without a terminal needs --yes.' },
  NoSuchRun: { kind: 'usage', meaning: 'The journal directory has no run by that id (or no run at all).' },
  JournalCorrupt: {
    kind: 'usage',
    meaning: 'A journal line is not a journal record (not a torn last line): the file cannot be trusted.',
  },
  JournalMismatch: {
    kind: 'usage',
    meaning:
      "A step's journaled state is not what this version reads (the message names the step, the field and what was expected): nothing was changed.",
  },
  StatePermissionDenied: {
    kind: 'usage',
    meaning: 'The journal directory or a file in it cannot be read or written by this user.',
  },
  StatePathNotDirectory: { kind: 'usage', meaning: 'A file stands where the journal directory should be.' },
  StateReadOnly: { kind: 'usage', meaning: 'The journal directory is on a read-only file system.' },
  StateDirTooOpen: { kind: 'usage', meaning: 'Other users can write the journal directory (and so steer a rollback).' },
  BadManifest: { kind: 'usage', meaning: "A snapshot folder's hotspare-manifest.json is not a hotspare manifest." },
  BadOutDir: {
    kind: 'usage',
    meaning: '--out is not a folder, or a folder that holds something other than a snapshot.',
  },
  // ---- hotspare will not go on without a decision (refused: exit 3)
  LockHeld: { kind: 'refused', meaning: "Another operator (or process) holds the runbook's lock." },
  LockUnreadable: { kind: 'refused', meaning: 'The lock file is not a hotspare lock.' },
  UnfinishedRun: { kind: 'refused', meaning: 'An unfinished run must be resumed, rolled back or abandoned first.' },
  NothingToResume: { kind: 'refused', meaning: 'There is no unfinished run to resume.' },
  NothingToRollBack: { kind: 'refused', meaning: 'There is no run to roll back.' },
  NothingToAbandon: { kind: 'refused', meaning: 'There is no unfinished run to abandon.' },
  RollbackInProgress: { kind: 'refused', meaning: 'The run is part-way through a rollback: finish it with rollback.' },
  RunInEffect: {
    kind: 'refused',
    meaning:
      'AWS shows a hotspare run in effect on the target group (its tagged redirect instance is registered): roll it back or abandon it first; the message names the run, who started it and since when.',
  },
  RunbookChanged: {
    kind: 'refused',
    meaning: 'The runbook changed since the run started (the message names the fields).',
  },
  CertificateMissingNames: {
    kind: 'refused',
    meaning:
      "The certificate the runbook names (maintenance.cloudfront.certificate) does not cover every host the maintenance distribution serves (the site's host too, when the dns-failover step points it there); an ACM certificate cannot gain names: name one that covers them all, or `managed`.",
  },
  ArmUnexpectedRecord: {
    kind: 'refused',
    meaning:
      "hotspare arm found something other than what it expects at dns.recordName: a single alias record of dns.type to the load balancer (unarmed) or hotspare's own PRIMARY/SECONDARY pair (armed). The message names what was found; nothing was changed.",
  },
  ArmSecondaryCannotServeHttps: {
    kind: 'refused',
    meaning:
      "The armed SECONDARY of an https:// site is not a CloudFront distribution carrying the site's host as an alternate domain name: visitors failed over to it would get a certificate error. `hotspare site provision RUNBOOK` prepares it.",
  },
  ArmNoJournal: {
    kind: 'refused',
    meaning:
      'hotspare disarm has no journal of the record as it was before arm changed it (state directory armed/NAME.jsonl), so it cannot restore it exactly; restore the record by hand.',
  },
  MaintenanceEdgeConflict: {
    kind: 'refused',
    meaning:
      "Two CloudFront distributions (or certificates) carry hotspare's tags for the runbook, or the tagged one does not carry the maintenance host: the message names both; untag one or name the right one in the runbook.",
  },
  NoSandboxRun: { kind: 'refused', meaning: 'There is no sandbox run to resume or roll back.' },
  SandboxRunEnded: { kind: 'refused', meaning: 'A sandbox run ended with its process: its simulated account is gone.' },
  // ---- hotspare itself is wrong (bug: reported with where the details are)
  InternalError: { kind: 'bug', meaning: 'An unexpected error; its stack is in errors.log in the journal directory.' },
  StepContract: { kind: 'bug', meaning: 'A step journaled state its own contract does not declare.' },
  NoSsmClient: { kind: 'bug', meaning: 'An image by SSM parameter with no SSM client.' },
  NoInstanceReturned: { kind: 'bug', meaning: 'RunInstances answered without an instance.' },
  NoRuleReturned: { kind: 'bug', meaning: 'CreateRule answered without a rule.' },
  NoHealthCheckReturned: { kind: 'bug', meaning: 'CreateHealthCheck answered without a health check.' },
  DryRunIgnored: {
    kind: 'bug',
    meaning: 'The endpoint ignored DryRun on RunInstances (it may have launched an instance).',
  },
  EmptyAnswer: { kind: 'bug', meaning: 'An AWS call answered without a field its API always returns.' },
  NoManifestWritten: { kind: 'bug', meaning: 'A snapshot finished without writing its manifest.' },
} as const satisfies Record<string, { readonly kind: ErrorKind; readonly meaning: string }>;

/** A code of the closed list. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes an error of `kind` may carry. */
export type ErrorCodeOf<K extends ErrorKind> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never;
}[ErrorCode];

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
