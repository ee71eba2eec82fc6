import { describe, expect, it } from 'vitest';
import type { SiteReadiness } from '../../src/ports/site.js';
import { reduceDashboard } from '../../src/store/reduce-dashboard.js';
import { initialData } from '../../src/store/state.js';
import { snapshotBadge } from '../../src/ui/snapshot-age.js';

const site = (state: SiteReadiness['state'], ageHours?: number): SiteReadiness => ({
  state,
  summary: state,
  maxAgeHours: 24,
  ageHours,
  pages: [],
  at: 0,
});

describe('the snapshot badge on the maintenance probe row', () => {
  it('shows the age, and warns past maxAgeHours', () => {
    expect(snapshotBadge(site('fresh', 3.21))).toEqual({ text: 'snapshot 3.2 h old', color: 'green' });
    expect(snapshotBadge(site('fresh', 0.5))?.text).toBe('snapshot 30 min old');
    expect(snapshotBadge(site('stale', 30))).toEqual({ text: '⚠ snapshot 30.0 h old > 24 h', color: 'yellow' });
    expect(snapshotBadge(site('stale', 72))?.text).toBe('⚠ snapshot 3.0 days old > 24 h');
    expect(snapshotBadge(site('missing'))?.color).toBe('yellow');
    expect(snapshotBadge(site('broken'))?.color).toBe('red');
    expect(snapshotBadge(undefined)).toBeUndefined();
  });

  it('the dashboard keeps the last readiness until a probe brings a new one', () => {
    const start = initialData({ runbook: 'r', mode: 'sandbox', region: 'us-east-1' }).dashboard;
    const result = { url: 'http://m/', at: 0, status: 200, latencyMs: 1 };
    const withSite = reduceDashboard(start, { type: 'probe', name: 'maintenance', result, site: site('stale', 30) });
    const after = reduceDashboard(withSite, { type: 'probe', name: 'maintenance', result });
    expect(after.maintenanceSite?.state).toBe('stale');
    expect(after.probes.maintenance).toHaveLength(2);
  });
});
