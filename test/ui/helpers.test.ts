import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/engine/events.js';
import type { TargetState } from '../../src/ports/index.js';
import { modeBadge } from '../../src/ui/header-badges.js';
import { footerEntries, footerText } from '../../src/ui/footer-keys.js';
import type { KeyPress } from '../../src/ui/key-press.js';
import { actionForKey as resolve, type KeyContext } from '../../src/ui/keys.js';
import { layoutFor } from '../../src/ui/layout.js';
import { exitCodeForOutcome } from '../../src/cli/output/exit-codes.js';
import { probeSparkline, sparkline } from '../../src/ui/sparkline.js';
import { shouldOffer } from '../../src/ui/startup.js';
import {
  colorForTargetState,
  describeListenerActions,
  healthSummary,
  windowTargets,
} from '../../src/ui/target-table.js';
import { UNFINISHED } from './fixtures.js';

const noKey = {
  upArrow: false,
  downArrow: false,
  pageUp: false,
  pageDown: false,
  return: false,
  escape: false,
  ctrl: false,
  backspace: false,
  delete: false,
  tab: false,
};
const ctx: KeyContext = {
  overlay: 'none',
  prompt: undefined,
  typing: false,
  busy: false,
  typeahead: false,
  expanded: false,
  extraKeys: ['o'],
};
const actionForKey = (input: string, key: KeyPress['key'], c: KeyContext) => resolve({ input, key }, c);

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
    expect(actionForKey('c', { ...noKey, ctrl: true }, { ...ctx, busy: true })).toEqual({
      kind: 'overlay',
      overlay: 'quit',
    });
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
    const typing = { ...ctx, prompt: 'typed-name' as const, typing: true };
    expect(actionForKey('r', noKey, typing)).toEqual({ kind: 'type', press: { input: 'r', key: noKey } });
    expect(actionForKey('q', noKey, typing)).toEqual({ kind: 'type', press: { input: 'q', key: noKey } });
    expect(actionForKey('', { ...noKey, return: true }, typing)).toEqual({ kind: 'submit-name' });
    expect(actionForKey('', { ...noKey, escape: true }, typing)).toEqual({ kind: 'answer', decision: 'stop' });
    expect(actionForKey('', { ...noKey, tab: true }, typing)).toEqual({ kind: 'expand' });
    expect(actionForKey('', { ...noKey, pageDown: true }, typing)).toEqual({ kind: 'scroll-panel', delta: 10 });
    const paused = { ...ctx, prompt: 'paused' as const };
    expect(actionForKey('p', noKey, paused)).toEqual({ kind: 'pause' });
    expect(actionForKey('', { ...noKey, return: true }, paused)).toEqual({ kind: 'none' });
    expect(actionForKey('n', noKey, paused)).toEqual({ kind: 'answer', decision: 'stop' });
  });

  it('overlays take the keyboard first', () => {
    expect(actionForKey('f', noKey, { ...ctx, overlay: 'help' })).toEqual({ kind: 'none' });
    expect(actionForKey('y', noKey, { ...ctx, overlay: 'quit', prompt: 'confirm' })).toEqual({ kind: 'quit' });
    expect(actionForKey('r', noKey, { ...ctx, overlay: 'offer' })).toEqual({ kind: 'command', command: 'resume' });
    expect(actionForKey('l', noKey, { ...ctx, overlay: 'offer' })).toEqual({ kind: 'overlay', overlay: 'none' });
  });

  it('while a live command starts, letters are typed ahead, never commands', () => {
    const starting = { ...ctx, busy: true, typeahead: true };
    for (const k of ['f', 'b', 'r', 'p', 'q', '?'])
      expect(actionForKey(k, noKey, starting)).toEqual({ kind: 'type', press: { input: k, key: noKey } });
    expect(actionForKey('c', { ...noKey, ctrl: true }, starting)).toEqual({ kind: 'overlay', overlay: 'quit' });
    expect(actionForKey('', { ...noKey, downArrow: true }, starting)).toEqual({ kind: 'select', delta: 1 });
  });
});

describe('footer keys', () => {
  const base = {
    overlay: 'none' as const,
    prompt: undefined,
    busy: false,
    pauseRequested: false,
    expanded: false,
    extraKeys: [{ key: 'o', label: 'break origins' }],
  };
  const keysOf = (c: Parameters<typeof footerEntries>[0]) => footerEntries(c).map(([k]) => k);

  it('offers failover, rollback and resume only when no command runs', () => {
    expect(keysOf(base)).toEqual(expect.arrayContaining(['f', 'b', 'r', 'p', 'o', '?', 'q']));
    expect(keysOf({ ...base, busy: true })).not.toEqual(expect.arrayContaining(['f']));
    expect(keysOf({ ...base, busy: true })).not.toContain('b');
    expect(keysOf({ ...base, busy: true })).toContain('p');
  });

  it('shows the keys of the question being asked', () => {
    const request = { step: { id: 's', type: 'launch-redirect', title: 't' }, index: 0, total: 1 } as never;
    expect(keysOf({ ...base, busy: true, prompt: { kind: 'confirm', id: 1, request } })).toEqual(
      expect.arrayContaining(['Enter/y', 's', 'n/Esc', 'Tab']),
    );
    expect(keysOf({ ...base, busy: true, prompt: { kind: 'paused', id: 1, request, auto: false } })[0]).toBe('p');
    expect(footerEntries({ ...base, overlay: 'quit' })).toEqual([
      ['y', 'quit'],
      ['n/Esc', 'stay'],
    ]);
  });

  it('fits the width, compact or with entries dropped, keeping help and quit', () => {
    for (const width of [60, 80, 100]) {
      const text = footerText(footerEntries(base), width);
      expect(text.length).toBeLessThanOrEqual(width);
      expect(text).toMatch(/q.quit$/);
    }
  });
});

describe('layoutFor', () => {
  const needs = {
    steps: 6,
    targets: 3,
    traffic: true,
    logLines: 20,
    panelMin: 3,
    panelWant: 40,
    panelMore: 40,
    asking: false,
    expanded: false,
  };
  const total = (l: ReturnType<typeof layoutFor>): number =>
    1 + l.targetRows + 2 + l.probeRows + l.stepRows + l.panelRows + l.logRows + 1;

  it('fills the terminal but one row, at every size', () => {
    for (const [cols, rows] of [
      [80, 24],
      [100, 50],
      [120, 40],
      [200, 60],
    ] as const) {
      for (const targets of [0, 3, 500]) expect(total(layoutFor(cols, rows, { ...needs, targets }))).toBe(rows - 1);
    }
  });

  it('gives a question all the rows it needs before anything else grows', () => {
    const asking = layoutFor(80, 24, { ...needs, targets: 40, panelMin: 10, panelWant: 30, asking: true });
    expect(asking.panelRows).toBeGreaterThanOrEqual(10);
    expect(asking.targetRows).toBe(2);
    const roomy = layoutFor(120, 40, { ...needs, panelMin: 8, panelWant: 20, asking: true });
    expect(roomy.panelRows).toBeGreaterThanOrEqual(20);
    expect(roomy.stepRows).toBe(6);
  });

  it('grows targets, steps and log to what they hold, and the panel takes the rest', () => {
    const l = layoutFor(200, 60, { ...needs, logLines: 3 });
    expect([l.targetRows, l.stepRows, l.logRows]).toEqual([3, 6, 3]);
    expect(l.panelRows).toBe(60 - 1 - 2 - 5 - 3 - 6 - 3);
  });

  it('Tab gives the panel the whole body', () => {
    const l = layoutFor(80, 24, { ...needs, expanded: true });
    expect([l.panelRows, l.targetRows, l.stepRows, l.logRows]).toEqual([21, 0, 0, 0]);
  });
});

describe('pure view helpers', () => {
  it('colours every target state', () => {
    const states: TargetState[] = ['initial', 'healthy', 'unhealthy', 'unused', 'draining', 'unavailable'];
    expect(states.map(colorForTargetState)).toEqual(['yellow', 'green', 'red', 'gray', 'blue', 'gray']);
  });

  it('summarises health and listener actions', () => {
    expect(
      healthSummary([
        { id: 'a', state: 'healthy' },
        { id: 'b', state: 'draining' },
      ]),
    ).toBe('1/2 healthy · 1 draining');
    expect(
      describeListenerActions([
        { Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-tg/abc' },
      ]),
    ).toBe('forward → web-tg');
    expect(describeListenerActions([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }])).toBe(
      'fixed response 503',
    );
    expect(describeListenerActions([])).toBe('no default action');
  });

  it('windows within bounds', () => {
    const list = Array.from({ length: 10 }, (_, i) => i);
    expect(windowTargets(list, 8, 5)).toEqual({ shown: [5, 6, 7, 8, 9], from: 5 });
    expect(windowTargets(list, -3, 20).shown).toHaveLength(10);
  });

  it('draws sparklines, failed probes as ×', () => {
    expect(sparkline([0, 4, 8])).toBe('▁▅█');
    expect(
      probeSparkline(
        [
          { url: 'u', at: 1, latencyMs: 10, status: 200 },
          { url: 'u', at: 2, latencyMs: 5, error: 'timeout' },
        ],
        10,
      ),
    ).toBe('█×');
  });

  it('badges every mode', () => {
    expect([modeBadge('live'), modeBadge('dry-run'), modeBadge('sandbox')].map((b) => `${b.label}:${b.color}`)).toEqual(
      ['LIVE:red', 'DRY-RUN:yellow', 'SANDBOX:cyan'],
    );
  });

  it('exit codes: 0 for success or nothing, 1 for failures', () => {
    const outcomes: (RunOutcome | undefined)[] = [
      undefined,
      'failed-over',
      'rolled-back',
      'dry-run-complete',
      'failed',
      'aborted',
      'rollback-incomplete',
    ];
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

describe('the Auto Scaling group on the dashboard', () => {
  it('is named in the target summary: will be frozen before the step, frozen once it is done', async () => {
    const { scalingParts } = await import('../../src/ui/target-summary.js');
    const groups = [
      { name: 'web-asg', desired: 3, min: 3, max: 6, instanceIds: [], targetGroupArns: [], suspended: [] },
    ];
    const text = (steps: Parameters<typeof scalingParts>[1]): string[] =>
      scalingParts(groups, steps).map((p) => `${p.before}${p.name}${p.after}`);
    expect(scalingParts(undefined, [])).toEqual([]);
    expect(text([])).toEqual(['ASG web-asg 3/6']);
    expect(text([{ type: 'suspend-scaling', state: 'pending' }])).toEqual(['ASG web-asg 3/6 will be frozen']);
    expect(text([{ type: 'suspend-scaling', state: 'succeeded' }])).toEqual(['ASG web-asg 3/6 frozen']);
    expect(text([{ type: 'suspend-scaling', state: 'rolled-back' }])).toEqual(['ASG web-asg 3/6']);
  });
});
