import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../../ports/errors.js';
import { loadRunbook } from '../../runbook/load.js';
import type { Runbook } from '../../runbook/schema.js';
import type { publishSite } from '../../site/publish.js';
import { BUNDLED_SANDBOX_RUNBOOK } from '../context.js';
import { jsonText } from '../json-out.js';
import type { ProgressLine } from '../progress-line.js';
import { awsSetup } from '../aws-setup.js';
import { awsSiteEnv, sandboxSiteEnv, type AwsSiteSettings, type SiteEnv } from '../site-env.js';
import type { Io } from './run.js';
import type { SiteOptions } from './site.js';

/** What every site command gets. */
export interface Run {
  readonly opts: SiteOptions;
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  readonly progress: ProgressLine;
}

/**
 * Region (flag, runbook, AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1), profile and
 * endpoint (flag, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's); the credentials are
 * checked when the bucket is first used.
 */
export function awsSettings(run: Run, runbook?: Runbook): AwsSiteSettings {
  const { opts, env } = run;
  const setup = awsSetup(opts, runbook?.region, env);
  return { region: setup.region, profile: setup.profile, endpointUrl: opts.endpointUrl ?? env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'], prepare: setup.prepare };
}

/** The environment: the sandbox (built for `runbook`, default the bundled one) or AWS and the web. */
export async function siteEnv(run: Run, runbook?: Runbook): Promise<SiteEnv> {
  if (!run.opts.sandbox) return awsSiteEnv(awsSettings(run, runbook), run.opts.timeoutMs, runbook);
  return sandboxSiteEnv(runbook ?? (await loadRunbook(BUNDLED_SANDBOX_RUNBOOK)).runbook, run.opts.timeoutMs);
}

/** `value` as an http(s) URL, or a usage error naming `what` was expected. */
export function httpUrl(what: string, value: string | undefined): URL {
  if (value === undefined || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(`Expected ${what} as an http:// or https:// URL${value === undefined ? '' : `, got "${value}"`}.`, { code: 'BadArgument' });
  }
  return new URL(value);
}

/** The report: one JSON object with --json, else the lines. */
export function output(run: Run, json: unknown, lines: readonly string[]): void {
  if (run.opts.json) run.io.out(jsonText(json));
  else for (const line of lines) run.io.out(line);
}

/** Whether `path` is an existing folder. */
export function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The publish report as JSON: the plan's uploads without their bodies. */
export function publishJson(report: Awaited<ReturnType<typeof publishSite>>) {
  const { plan, ...rest } = report;
  const uploads = plan.uploads.map(({ key, reason, phase, contentType, cacheControl, sha256, bytes }) => ({ key, reason, phase, contentType, cacheControl, sha256, bytes }));
  return { bucket: plan.bucket, uploads, deletes: plan.deletes, keptUnknown: plan.keptUnknown, unchanged: plan.unchanged, ...rest };
}

/** The crawl limits given as flags (undefined where not given). */
export function crawlFlags(opts: SiteOptions) {
  return { maxAssets: opts.maxAssets, maxBytes: opts.maxMegabytes === undefined ? undefined : opts.maxMegabytes * 1024 * 1024, maxHops: opts.maxHops, maxSeconds: opts.maxSeconds };
}
