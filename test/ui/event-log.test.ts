import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/store/state.js';
import { logLines } from '../../src/ui/EventLog.js';
import { textWidth } from '../../src/ui/text.js';

const AT = Date.UTC(2026, 11, 3, 20, 0, 0);
const entry = (message: string): LogLine => ({ level: 'warn', message, at: AT });
const LONG =
  'Maintenance site: maintenance.example.com presents no certificate a browser accepts (no record points at a distribution). Run `hotspare site provision RUNBOOK` ahead of the outage (it takes minutes).';

describe('the event log', () => {
  it('shows whole messages only: an older one that does not fit is left out, not shown by its tail', () => {
    const rows = logLines([entry(LONG), entry('Readiness read again.')], 2, 60).map((r) => r.text);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Readiness read again.');
  });

  it('a newest message too long for its rows shows its beginning and its end (what to do)', () => {
    const rows = logLines([entry(LONG)], 2, 60).map((r) => r.text);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Maintenance site: maintenance.example.com');
    expect(rows[1]!.startsWith('…')).toBe(true);
    expect(rows[1]).toContain('ahead of the outage (it takes minutes).');
    for (const row of rows) expect(textWidth(row)).toBeLessThanOrEqual(60);
  });

  it('in one row: the beginning, …, the end, within the width', () => {
    const [row] = logLines([entry(LONG)], 1, 60).map((r) => r.text);
    expect(textWidth(row!)).toBeLessThanOrEqual(60);
    expect(row).toContain('Maintenance site');
    expect(row).toContain('…');
    expect(row!.endsWith('(it takes minutes).')).toBe(true);
  });
});
