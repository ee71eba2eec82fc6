import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HotspareError, UsageError } from '../../../domain/errors.js';
import { loadRunbook } from '../../../runbook/load.js';
import type { Runbook } from '../../../runbook/schema.js';
import type { publishSite } from '../../../site/publish.js';
import { awsSetup } from '../../account/aws-setup.js';
import { awsSiteEnv, sandboxSiteEnv, type AwsSiteSettings, type SiteEnv } from '../../account/site-env.js';
import type { CommandInput } from '../../args/tree.js';
import type { Io } from '../../output/io.js';
import { jsonText } from '../../output/json-out.js';
import { createProgressLine, createProgressLog, type ProgressLine } from '../../output/progress-line.js';
import { BUNDLED_SANDBOX_RUNBOOK } from '../../paths.js';
import { stateDir } from '../../session/state-dir.js';
import type { InvalidationJournal, InvalidationJournalEntry } from '../../../site/invalidate.js';

/** The flags the site commands' helpers read, as far as a command takes them. */
export interface SiteFlags {
  readonly sandbox: boolean;
  readonly json: boolean;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly endpointUrl?: string | undefined;
  /** Seconds per request. */
  readonly timeout?: number | undefined;
}

/** What a site command works with: its own flags, the streams, a progress line on a terminal's stderr. */
export interface SiteContext<F extends SiteFlags = SiteFlags> {
  readonly flags: F;
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  readonly progress: ProgressLine;
}

/** Runs a site command with its context; the progress line is cleared however it ends. */
export async function withSiteContext<F extends SiteFlags>(
  input: CommandInput<F>,
  command: (ctx: SiteContext<F>) => Promise<number>,
): Promise<number> {
  // On a terminal a line rewritten in place; in a log (cron), a line now and then, so a long run shows it is alive.
  const progress =
    process.stderr.isTTY === true
      ? createProgressLine((chunk) => process.stderr.write(chunk), !input.flags.json)
      : createProgressLog((line) => process.stderr.write(`${line}\n`));
  try {
    return await command({ flags: input.flags, io: input.io, env: input.env, progress });
  } finally {
    progress.done();
  }
}

/** The per-request timeout in milliseconds. */
export const timeoutMs = (flags: SiteFlags): number | undefined =>
  flags.timeout === undefined ? undefined : flags.timeout * 1000;

/**
 * Region (flag, runbook, AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1), profile and
 * endpoint (flag, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's); the credentials are
 * checked when the bucket is first used.
 */
export async function awsSettings(ctx: SiteContext, runbook?: Runbook): Promise<AwsSiteSettings> {
  const { flags: opts, env } = ctx;
  const setup = await awsSetup(opts, runbook?.region, env);
  return {
    region: setup.region,
    profile: setup.profile,
    endpointUrl: opts.endpointUrl ?? env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'],
    prepare: setup.prepare,
  };
}

/** The environment: the sandbox (built for `runbook`, default the bundled one) or AWS and the web. */
export async function siteEnv(ctx: SiteContext, runbook?: Runbook): Promise<SiteEnv> {
  if (!ctx.flags.sandbox) return awsSiteEnv(await awsSettings(ctx, runbook), timeoutMs(ctx.flags), runbook);
  return sandboxSiteEnv(runbook ?? (await loadRunbook(BUNDLED_SANDBOX_RUNBOOK)).runbook, timeoutMs(ctx.flags));
}

/** `value` as an http(s) URL, or a usage error naming `what` was expected. */
export function httpUrl(what: string, value: string | undefined): URL {
  if (value === undefined || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(
      `Expected ${what} as an http:// or https:// URL${value === undefined ? '' : `, got "${value}"`}.`,
      { code: 'BadArgument' },
    );
  }
  return new URL(value);
}

/** The report: one JSON object with --json, else the lines. */
export function output(ctx: SiteContext, json: unknown, lines: readonly string[]): void {
  if (ctx.flags.json) ctx.io.out(jsonText(json));
  else for (const line of lines) ctx.io.out(line);
}

/** Whether `path` is an existing folder. */
export function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The publish report as JSON: the plan's uploads without their bodies. */
export function publishJson(report: Awaited<ReturnType<typeof publishSite>>) {
  const { plan, ...rest } = report;
  const uploads = plan.uploads.map(({ key, reason, phase, contentType, cacheControl, sha256, bytes }) => ({
    key,
    reason,
    phase,
    contentType,
    cacheControl,
    sha256,
    bytes,
  }));
  return {
    bucket: plan.bucket,
    uploads,
    deletes: plan.deletes,
    keptUnknown: plan.keptUnknown,
    unchanged: plan.unchanged,
    ...rest,
  };
}

/** The crawl limits given as flags (undefined where not given). */
export function crawlFlags(opts: {
  readonly maxAssets?: number | undefined;
  readonly maxMegabytes?: number | undefined;
  readonly maxHops?: number | undefined;
  readonly maxSeconds?: number | undefined;
}) {
  return {
    maxAssets: opts.maxAssets,
    maxBytes: opts.maxMegabytes === undefined ? undefined : opts.maxMegabytes * 1024 * 1024,
    maxHops: opts.maxHops,
    maxSeconds: opts.maxSeconds,
  };
}

/**
 * The invalidation journal of a bucket's publishes: `publish/BUCKET.jsonl` under the state
 * directory, 0600 in a 0700 folder, one JSON record a line (a torn last line, from a crash while it
 * was written, is skipped).
 */
export function invalidationJournal(
  env: NodeJS.ProcessEnv,
  bucket: string,
  sandbox = false,
): InvalidationJournal & { file: string } {
  const dir = join(stateDir(env), ...(sandbox ? ['sandbox'] : []), 'publish');
  const file = join(dir, `${bucket.replace(/[^A-Za-z0-9.-]/g, '_')}.jsonl`);
  return {
    file,
    read: () => {
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line) => {
          if (line.trim() === '') return [];
          try {
            return [JSON.parse(line) as InvalidationJournalEntry];
          } catch {
            return [];
          }
        });
    },
    append: (entry) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 });
    },
  };
}

/** Where a publish's invalidation goes: a distribution id, or `managed` (found by tag, else by the maintenance host). */
export interface InvalidationTarget {
  readonly distribution?: string | undefined;
  /** The maintenance host, to find a `managed` distribution by its alternate domain name. */
  readonly host?: string | undefined;
  /** The runbook's name, to find a `managed` distribution by its `hotspare:site` tag. */
  readonly site?: string | undefined;
  /** Wait for it to complete (ms), or not at all. */
  readonly waitMs?: number | undefined;
  /** Where it is journaled (and an earlier publish's unfinished one is found). */
  readonly journal?: InvalidationJournal | undefined;
}

/**
 * After a publish that changed something: one CloudFront invalidation of the changed paths, when a
 * distribution is known. Returns the report, or a line saying why there is none.
 */
export async function invalidateAfterPublish(
  ctx: SiteContext,
  env: SiteEnv,
  plan: Parameters<typeof import('../../../site/invalidate.js').invalidatePublish>[0]['plan'],
  target: InvalidationTarget,
): Promise<
  { report?: import('../../../site/invalidate.js').InvalidationReport; note?: string; failed?: boolean } | undefined
> {
  if (target.distribution === undefined || env.edge === undefined) return undefined;
  const [{ findMaintenanceDistribution, invalidatePublish }, { systemClock }] = await Promise.all([
    import('../../../site/invalidate.js'),
    import('../../../domain/clock.js'),
  ]);
  try {
    const { distributions } = await env.edge();
    const found = (
      await findMaintenanceDistribution(distributions, {
        host: target.host ?? '',
        configured: target.distribution,
        site: target.site,
      })
    )?.summary;
    if (found === undefined) {
      const which =
        target.distribution === 'managed'
          ? `with ${target.host ?? '?'} as an alternate domain name`
          : target.distribution;
      return {
        note: `No CloudFront distribution ${which}: nothing invalidated (\`hotspare site provision RUNBOOK\` makes it).`,
      };
    }
    const report = await invalidatePublish({
      distributions,
      distributionId: found.id,
      plan,
      waitMs: target.waitMs,
      clock: systemClock,
      onProgress: (s) => ctx.progress.update(s),
      journal: target.journal,
    });
    return report === undefined ? undefined : { report };
  } catch (error) {
    // The copy is published; only the caches could not be told. Say so, and what to do.
    if (!(error instanceof HotspareError)) throw error;
    return {
      note: `Published, but the CloudFront invalidation failed: ${error.message}${error.nextSteps === undefined ? '' : ` ${error.nextSteps}`}`,
      failed: true,
    };
  }
}
