import fc from 'fast-check';

/** Where the arguments may point: all local (see `argvArbitrary`). */
export interface ArgPlaces {
  /** A valid runbook of a site in moto. */
  readonly runbook: string;
  /** A runbook file that is not valid. */
  readonly badRunbook: string;
  readonly missing: string;
  readonly directory: string;
  /** A regular file where a directory is expected. */
  readonly file: string;
  /** A journal directory of its own. */
  readonly journalDir: string;
  /** A local web page (for `site snapshot` / `site check`). */
  readonly pageUrl: string;
  /** The moto endpoint. */
  readonly endpoint: string;
}

const COMMANDS = [
  'validate',
  'plan',
  'failover',
  'resume',
  'rollback',
  'abandon',
  'status',
  'drill',
  'timeline',
  'iam-policy',
];
const SITE = ['snapshot', 'check', 'publish', 'refresh', 'nope'];

const MAIN_BOOLEANS = [
  '--yes',
  '-y',
  '--dry-run',
  '--headless',
  '--json',
  '--debug',
  '--discover',
  '--help',
  '-h',
  '--version',
  '-V',
  '--sandbox',
];
const SITE_BOOLEANS = [
  '--website',
  '--force',
  '--external',
  '--delete-unknown',
  '--dry-run',
  '--sandbox',
  '--json',
  '--help',
];
const GARBAGE_FLAGS = ['--yes=1', '--no-yes', '--unknown', '-z', '---', '-', '--=x', '--sandbox=no'];

/** Flags that take a value, with values to try: valid ones, edge ones and garbage. */
function mainValued(p: ArgPlaces): Readonly<Record<string, readonly string[]>> {
  return {
    '--journal-dir': [p.journalDir, p.journalDir, p.file, p.missing, '', p.directory],
    '--region': ['us-east-1', 'us-east-1', 'mars-1', '', 'US-EAST-1'],
    // Every endpoint is on loopback; a closed port and garbage too.
    '--endpoint-url': [p.endpoint, p.endpoint, 'http://127.0.0.1:9', 'not a url', '', 'ftp://127.0.0.1/'],
    '--speed': ['1000', '0', '-1', 'abc', '', 'Infinity', 'NaN', '1e400'],
    '--fault': ['throttle', 'capacity', 'access-denied', 'redirect-unhealthy', 'origin-500', 'meteor', ''],
    '--traffic-rate': ['0', '5', '-1', 'abc', '100000'],
    '--outage-after': ['0', '1', '-1', 'abc'],
    '--hold': ['0', '1', '-1', 'abc', ''],
  };
}

function siteValued(p: ArgPlaces): Readonly<Record<string, readonly string[]>> {
  return {
    '--out': [p.directory, p.file, p.missing, ''],
    '--depth': ['0', '1', '-1', 'abc', '99999'],
    '--max-pages': ['1', '0', '-5', 'x'],
    '--concurrency': ['1', '0', '1000', 'x'],
    '--timeout': ['1', '0', '-1', 'x'],
    '--dynamic': ['/search', '', 'search', '//'],
    '--start-path': ['/', '/missing', '', 'x'],
    '--banner': ['Back soon', '', '<script>alert(1)</script>'],
    '--external-limit': ['1', '0', 'x'],
    '--bucket': ['maintenance-bucket', '', 'Not_A_Bucket', 'a'.repeat(70)],
    '--origin': [p.pageUrl, '', 'x'],
    '--region': ['us-east-1', 'mars-1', ''],
    '--endpoint-url': [p.endpoint, 'http://127.0.0.1:9', 'not a url', ''],
  };
}

/** Odd positionals: missing, wrong kind, empty, huge. */
function oddPositionals(p: ArgPlaces): string[] {
  return [
    p.badRunbook,
    p.missing,
    p.directory,
    p.file,
    '/dev/null',
    '',
    '-',
    'x.yaml',
    'x',
    p.pageUrl,
    'http://127.0.0.1:9/',
    '💥',
    'a'.repeat(3000),
  ];
}

function flags(
  booleans: readonly string[],
  valued: Readonly<Record<string, readonly string[]>>,
): fc.Arbitrary<string[]> {
  // Mostly meaningful tokens, so that many command lines get past parsing and do something.
  const flag = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...booleans).map((f) => [f]) },
    {
      weight: 5,
      arbitrary: fc
        .constantFrom(...Object.keys(valued))
        .chain((f) => fc.constantFrom(...(valued[f] ?? [''])).map((v) => [f, v])),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom(...GARBAGE_FLAGS),
          fc.string({ maxLength: 12 }).map((s) => `--${s}`),
        )
        .map((f) => [f]),
    },
  );
  return fc.array(flag, { maxLength: 4 }).map((list) => list.flat());
}

/**
 * A command line of the CLI: a command (sometimes none, or garbage), a positional (mostly the
 * runbook; sometimes something odd) and up to four of the command's flags with valid, edge and
 * garbage values, now and then a flag that does not exist. Every URL and endpoint in it is on
 * loopback. With `--sandbox` and no `--speed`, `--speed 1000` is added so a sandbox drill takes
 * well under a second (at the default speed it takes a minute, which the hang check would flag).
 */
export function argvArbitrary(p: ArgPlaces): fc.Arbitrary<string[]> {
  const odd = fc.constantFrom(...oddPositionals(p));
  const positional = fc.oneof(
    { weight: 5, arbitrary: fc.constant([p.runbook]) },
    { weight: 2, arbitrary: odd.map((x) => [x]) },
    { weight: 1, arbitrary: fc.constant([] as string[]) },
  );
  const main = fc
    .tuple(fc.constantFrom(...COMMANDS), positional, flags(MAIN_BOOLEANS, mainValued(p)))
    .map(([c, pos, f]) => [c, ...pos, ...f]);
  const dashboard = fc.tuple(positional, flags(MAIN_BOOLEANS, mainValued(p))).map(([pos, f]) => [...pos, ...f]);
  const sitePositional = fc.oneof(fc.constantFrom(p.pageUrl, p.directory, p.runbook), odd);
  const site = fc
    .tuple(fc.constantFrom(...SITE), fc.array(sitePositional, { maxLength: 2 }), flags(SITE_BOOLEANS, siteValued(p)))
    .map(([c, pos, f]) => ['site', c, ...pos, ...f]);
  const garbage = fc.tuple(fc.string({ maxLength: 10 }), positional).map(([c, pos]) => [c, ...pos]);
  return fc
    .oneof(
      { weight: 10, arbitrary: main },
      { weight: 3, arbitrary: site },
      { weight: 2, arbitrary: dashboard },
      { weight: 1, arbitrary: garbage },
    )
    .map((argv) => (argv.includes('--sandbox') && !argv.includes('--speed') ? [...argv, '--speed', '1000'] : argv));
}
