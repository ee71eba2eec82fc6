import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/engine/events.js';
import type { TargetState } from '../../src/ports/index.js';
import { modeBadge } from '../../src/ui/header-badges.js';
import { actionForKey, footerText, type KeyContext } from '../../src/ui/keys.js';
import { layoutFor } from '../../src/ui/layout.js';
import { exitCodeForOutcome } from '../../src/cli/exit-codes.js';
import { probeSparkline, sparkline } from '../../src/ui/sparkline.js';
import { shouldOffer } from '../../src/ui/startup.js';
import { colorForTargetState, describeListenerActions, healthSummary, windowTargets } from '../../src/ui/target-table.js';
import { UNFINISHED } from './fixtures.js';

const noKey = { upArrow: false, downArrow: false, pageUp: false, pageDown: false, return: false, escape: false, ctrl: false };
const ctx: KeyContext = { overlay: 'none', prompt: undefined, busy: false, extraKeys: ['o'] };

describe('actionForKey', () => {
  it('maps global keys', () => {
    expect(actionForKey('f', noKey, ctx)).toEqual({ kind: 'command', command: 'failover' });
    expect(actionForKey('b', noKey, ctx)).toEqual({ kind: 'command', command: 'rollback' });
    expect(actionForKey('r', noKey, ctx)).toEqual({ kind: 'command', command: 'resume' });
    expect(actionForKey('p', noKey, ctx)).toEqual({ kind: 'pause' });
    expect(actionForKey('o', noKey, ctx)).toEqual({ kind: 'extra', key: 'o' });
    expect(actionForKey('', { ...noKey, downArrow: true }, ctx)).toEqual({ kind: 'select', delta: 1 });
    expect(actionForKey('q', noKey, ctx)).toEqual({ kind: 'quit' });
    expect(actionForKey('q', noKey, { ...ctx, busy: true })).toEqual({ kind: 'overlay', overlay: 'quit' });
    expect(actionForKey('c', { ...noKey, ctrl: true }, { ...ctx, busy: true })).toEqual({ kind: 'overlay', overlay: 'quit' });
    expect(actionForKey('x', noKey, ctx)).toEqual({ kind: 'none' });
  });

  it('maps prompt keys, and leaves a typed-name prompt alone', () => {
    const confirm = { ...ctx, prompt: 'confirm' as const };
    expect(actionForKey('', { ...noKey, return: true }, confirm)).toEqual({ kind: 'answer', decision: 'run' });
    expect(actionForKey('s', noKey, confirm)).toEqual({ kind: 'answer', decision: 'skip' });
    expect(actionForKey('', { ...noKey, escape: true }, confirm)).toEqual({ kind: 'answer', decision: 'stop' });
    expect(actionForKey('f', noKey, confirm)).toEqual({ kind: 'none' });
    const failure = { ...ctx, prompt: 'failure' as const };
    expect(['r', 's', 'b', 'q'].map((k) => actionForKey(k, noKey, failure))).toEqual(
      ['retry', 'skip', 'rollback', 'stop'].map((decision) => ({ kind: 'answer', decision })),
    );
    expect(actionForKey('r', noKey, { ...ctx, prompt: 'typed-name' })).toEqual({ kind: 'none' });
  });

  it('overlays take the keyboard first', () => {
    expect(actionForKey('f', noKey, { ...ctx, overlay: 'help' })).toEqual({ kind: 'none' });
    expect(actionForKey('y', noKey, { ...ctx, overlay: 'quit', prompt: 'confirm' })).toEqual({ kind: 'quit' });
    expect(actionForKey('r', noKey, { ...ctx, overlay: 'offer' })).toEqual({ kind: 'command', command: 'resume' });
    expect(actionForKey('l', noKey, { ...ctx, overlay: 'offer' })).toEqual({ kind: 'overlay', overlay: 'none' });
  });

  it('the compact footer fits 80 columns with an extra key', () => {
    expect(footerText([{ key: 'o', label: 'break origins' }], 80, false).length).toBeLessThanOrEqual(80);
  });
});

describe('layoutFor', () => {
  it('keeps the frame one row short of the terminal in one column', () => {
    for (const [cols, rows] of [
      [80, 24],
      [100, 50],
    ] as const) {
      const l = layoutFor(cols, rows, { steps: 6, targets: 500, traffic: true });
      expect(l.twoColumns).toBe(false);
      expect(1 + 2 + l.targetRows + l.probeRows + l.stepRows + l.panelRows + l.logRows + 1).toBe(rows - 1);
    }
  });

  it('splits in two at 120 columns', () => {
    const l = layoutFor(140, 40, { steps: 6, targets: 500, traffic: false });
    expect(l.twoColumns).toBe(true);
    expect(l.leftWidth + 1 + l.rightWidth).toBe(140);
    expect(1 + l.stepRows + 1 + l.panelRows + l.logRows + 1).toBe(39);
  });

  it('gives the panel the rows the targets do not need', () => {
    expect(layoutFor(80, 24, { steps: 4, targets: 1, traffic: false }).panelRows).toBeGreaterThan(layoutFor(80, 24, { steps: 4, targets: 50, traffic: false }).panelRows);
  });
});

describe('pure view helpers', () => {
  it('colours every target state', () => {
    const states: TargetState[] = ['initial', 'healthy', 'unhealthy', 'unused', 'draining', 'unavailable'];
    expect(states.map(colorForTargetState)).toEqual(['yellow', 'green', 'red', 'gray', 'blue', 'gray']);
  });

  it('summarises health and listener actions', () => {
    expect(healthSummary([{ id: 'a', state: 'healthy' }, { id: 'b', state: 'draining' }])).toBe('1/2 healthy · 1 draining');
    expect(describeListenerActions([{ Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-tg/abc' }])).toBe('forward → web-tg');
    expect(describeListenerActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }])).toBe('fixed response 503');
    expect(describeListenerActions([])).toBe('no default action');
  });

  it('windows within bounds', () => {
    const list = Array.from({ length: 10 }, (_, i) => i);
    expect(windowTargets(list, 8, 5)).toEqual({ shown: [5, 6, 7, 8, 9], from: 5 });
    expect(windowTargets(list, -3, 20).shown).toHaveLength(10);
  });

  it('draws sparklines, failed probes as ×', () => {
    expect(sparkline([0, 4, 8])).toBe('▁▅█');
    expect(probeSparkline([{ url: 'u', at: 1, latencyMs: 10, status: 200 }, { url: 'u', at: 2, latencyMs: 5, error: 'timeout' }], 10)).toBe('█×');
  });

  it('badges every mode', () => {
    expect([modeBadge('live'), modeBadge('dry-run'), modeBadge('sandbox')].map((b) => `${b.label}:${b.color}`)).toEqual(['LIVE:red', 'DRY-RUN:yellow', 'SANDBOX:cyan']);
  });

  it('exit codes: 0 for success or nothing, 1 for failures', () => {
    const outcomes: (RunOutcome | undefined)[] = [undefined, 'failed-over', 'rolled-back', 'dry-run-complete', 'failed', 'aborted', 'rollback-incomplete'];
    expect(outcomes.map(exitCodeForOutcome)).toEqual([0, 0, 0, 0, 1, 1, 1]);
  });

  it('offers an unfinished run only when it makes sense', () => {
    expect(shouldOffer('dashboard', false, UNFINISHED)).toBe(true);
    expect(shouldOffer('failover', true, UNFINISHED)).toBe(false);
    expect(shouldOffer('resume', false, UNFINISHED)).toBe(false);
    expect(shouldOffer('dashboard', false, undefined)).toBe(false);
  });
});

describe('orderTargets', () => {
  it('puts joining and failing targets first and draining ones last, stable within a state', async () => {
    const { orderTargets } = await import('../../src/ui/target-table.js');
    const order = orderTargets([
      { id: 'web-1', state: 'draining' },
      { id: 'web-2', state: 'healthy' },
      { id: 'redirect', state: 'initial' },
      { id: 'web-3', state: 'healthy' },
      { id: 'web-4', state: 'unhealthy' },
    ]).map((t) => t.id);
    expect(order).toEqual(['redirect', 'web-4', 'web-2', 'web-3', 'web-1']);
  });
});
