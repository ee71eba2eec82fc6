import type { ProbeResult } from '../ports/index.js';
import type { Runbook, StepSpecOf } from '../runbook/schema.js';
import { readMaintenanceSite } from '../site/readiness.js';
import { pollUntil } from './poll.js';
import type { StepOutputs } from '../domain/types.js';
import type { PreflightContext, StepDefinition, Verification } from './types.js';
import { verifyMaintenanceJournal } from './checks.journal.js';

type Spec = StepSpecOf<'verify-maintenance'>;

/** Whether a probe of the maintenance site shows it up with its marker text. */
export function maintenanceHolds(result: ProbeResult): boolean {
  return result.status !== undefined && result.status >= 200 && result.status < 300 && result.markerFound === true;
}

/** Whether the public site now sends visitors to maintenance: a redirect to its host, or its marker text served. */
export function siteHolds(result: ProbeResult, runbook: Runbook): boolean {
  if (result.status === undefined) return false;
  if (result.status >= 300 && result.status < 400 && result.location !== undefined) {
    try {
      return new URL(result.location, runbook.site.url).host === new URL(runbook.maintenance.url).host;
    } catch {
      return false;
    }
  }
  return result.markerFound === true;
}

function describeProbe(name: string, r: ProbeResult): string {
  if (r.status === undefined) return `${name}: ${r.error ?? 'no answer'}`;
  const where = r.location !== undefined ? ` -> ${r.location}` : '';
  const marker =
    r.markerFound === undefined || r.status >= 300 ? '' : r.markerFound ? ', marker found' : ', marker missing';
  return `${name}: ${r.status}${where}${marker} (${Math.round(r.latencyMs)} ms)`;
}

async function check(ctx: Pick<PreflightContext, 'runbook' | 'ports'>, spec: Spec): Promise<Verification> {
  const { runbook } = ctx;
  const [maint, site, pages] = await Promise.all([
    ctx.ports.probe.check({ url: runbook.maintenance.url, expectText: runbook.maintenance.expectText }),
    ctx.ports.probe.check({ url: runbook.site.url, expectText: runbook.maintenance.expectText }),
    readMaintenanceSite(runbook, ctx.ports.site),
  ]);
  const needSite = spec.expectSiteRedirect ?? true;
  // A few pages of the copy and their assets must answer too; its age is the dashboard's business.
  const pagesHold = pages === undefined || pages.state !== 'broken';
  const holds = maintenanceHolds(maint) && pagesHold && (!needSite || siteHolds(site, runbook));
  const outputs: StepOutputs = {
    maintenanceStatus: maint.status ?? null,
    siteStatus: site.status ?? null,
    siteLocation: site.location ?? null,
  };
  const detail = `${describeProbe('maintenance', maint)}; ${describeProbe('site', site)}${pages === undefined ? '' : `; pages: ${pages.summary}`}`;
  return { holds, detail, outputs };
}

export const verifyMaintenance: StepDefinition<Spec> = {
  type: 'verify-maintenance',
  journal: verifyMaintenanceJournal,
  mutating: false,
  title: () => 'Verify the maintenance site is live',
  describe: (spec, ctx) => [
    {
      service: 'http',
      operation: 'GET',
      params: {
        url: ctx.runbook.maintenance.url,
        expect: `2xx containing "${ctx.runbook.maintenance.expectText}"; a few of its pages and their assets 2xx`,
      },
    },
    ...((spec.expectSiteRedirect ?? true)
      ? [
          {
            service: 'http' as const,
            operation: 'GET',
            params: {
              url: ctx.runbook.site.url,
              expect: `a redirect to ${new URL(ctx.runbook.maintenance.url).host}, or the marker text`,
            },
          },
        ]
      : []),
  ],
  describeUndo: () => [],
  async run(ctx, spec) {
    let last: Verification | undefined;
    await pollUntil(ctx, {
      what: 'the maintenance site and the redirect',
      read: async () => (last = await check(ctx, spec)),
      check: (v) => (v.holds ? true : v.detail),
      timeoutMs: (spec.timeoutSeconds ?? 60) * 1000,
    });
    ctx.progress(last?.detail ?? '');
    return { ...(last?.outputs ?? {}), detail: last?.detail ?? '' };
  },
  verify: (ctx, spec) => check(ctx, spec),
  /**
   * A dry run reads all it can: the maintenance site, its marker, a few pages and their assets must
   * hold now; the public site is only reported (it redirects once the failover is done).
   */
  preview: async (ctx, spec) => {
    const now = await check(ctx, { ...spec, expectSiteRedirect: false });
    return { ...now, detail: `${now.detail} (the site redirects only after the failover)` };
  },
};
