import { describe, expect, it } from 'vitest';
import { splitKeys } from '../../src/ui/key-press.js';
import { wrapLines } from '../../src/ui/line-model.js';
import { windowBody } from '../../src/ui/panel-model.js';
import { exitCodeOf } from '../../src/cli/output/exit-codes.js';
import { endedFor } from '../../src/ui/session-controller.js';
import { stepRowText, windowSteps } from '../../src/ui/step-list.js';
import { targetColumns, targetRow } from '../../src/ui/target-table.js';
import { editText } from '../../src/ui/text-edit.js';
import { fit, textWidth, truncate, wrapText } from '../../src/ui/text.js';
import { ExternalError, RefusedError } from '../../src/domain/errors.js';
import { stepFromPlan } from '../../src/store/reduce-run.js';
import { PLAN } from './fixtures.js';

const none = {
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

describe('text measured in columns', () => {
  it('counts wide characters as two columns and pads or cuts by columns', () => {
    expect(textWidth('ウェブ-1')).toBe(8);
    expect(fit('ウェブ-1', 10)).toBe('ウェブ-1  ');
    expect(textWidth(fit('ウェブサーバー一号機', 9))).toBe(9);
    expect(truncate('Target.FailedHealthChecks', 8)).toBe('Target.…');
  });

  it('wraps at spaces and commas, never drops a character, and indents continuations', () => {
    const call = 'ec2 RunInstances {"ImageId":"ami-0123","SubnetId":"subnet-0123","UserData":"nginx: 302 every path"}';
    const lines = wrapText(call, 30, '    ');
    for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
    expect(lines.join('').replace(/\s+/g, '')).toBe(call.replace(/\s+/g, ''));
    expect(lines[1]).toMatch(/^ {4}\{"ImageId"/);
  });

  it('hard-breaks a token longer than the line, and wide characters too', () => {
    expect(wrapText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    for (const l of wrapText('ウ'.repeat(9), 6)) expect(textWidth(l)).toBeLessThanOrEqual(6);
  });

  it('wraps styled lines under their list marker', () => {
    const [first, second] = wrapLines(
      [{ text: '  · elbv2 RegisterTargets {"TargetGroupArn":"arn:aws:x","Targets":[{"Id":"i-1"}]}', color: 'cyan' }],
      40,
    );
    expect(first?.color).toBe('cyan');
    expect(second?.text).toMatch(/^ {4}\S/);
  });
});

describe('keys from one read', () => {
  it('splits a read into keys: backspaces, Enter, Tab, control characters', () => {
    expect(splitKeys('\u007F\u007F', none).map((k) => k.key.backspace)).toEqual([true, true]);
    expect(splitKeys('ab\r', none).map((k) => [k.input, k.key.return])).toEqual([
      ['a', false],
      ['b', false],
      ['', true],
    ]);
    expect(splitKeys('\u0015x', none)[0]).toMatchObject({ input: 'u', key: { ctrl: true } });
    expect(splitKeys('f', none)).toEqual([{ input: 'f', key: none }]);
    expect(splitKeys('日本', none).map((k) => k.input)).toEqual(['日', '本']);
  });

  it('edits a one-line input: backspace, Ctrl-U, Ctrl-W, text; control keys change nothing', () => {
    const type = (value: string, input: string, key: Partial<typeof none> = {}): string =>
      editText(value, { input, key: { ...none, ...key } });
    expect(type('abc', '', { backspace: true })).toBe('ab');
    expect(type('abc', '', { delete: true })).toBe('ab');
    expect(type('ab👍🏽', '', { backspace: true })).toBe('ab');
    expect(type('shop fail', 'u', { ctrl: true })).toBe('');
    expect(type('shop fail', 'w', { ctrl: true })).toBe('shop ');
    expect(type('ab', 'a', { ctrl: true })).toBe('ab');
    expect(type('ab', '\u0007')).toBe('ab');
    expect(type('ab', '', { return: true })).toBe('ab');
    expect(type('ab', 'c')).toBe('abc');
  });
});

describe('windows with "+N more"', () => {
  it('the panel body says how many lines are hidden, above and below', () => {
    const body = Array.from({ length: 10 }, (_, i) => ({ text: `line ${i}` }));
    expect(windowBody(body, 20, 0, 'PgDn').lines).toHaveLength(10);
    const top = windowBody(body, 4, 0, 'PgDn');
    expect(top.lines.map((l) => l.text)).toEqual(['line 0', 'line 1', 'line 2', '+7 more lines · PgDn']);
    const end = windowBody(body, 4, 99, 'PgDn');
    expect(end.lines.map((l) => l.text)).toEqual(['↑ 7 more lines above (PgUp)', 'line 7', 'line 8', 'line 9']);
    expect(end.maxScroll).toBe(7);
    expect(windowBody(body, 4, 3, 'PgDn').lines.map((l) => l.text)).toEqual([
      '↑ 3 more lines above (PgUp)',
      'line 3',
      'line 4',
      '+5 more lines · PgDn',
    ]);
  });

  it('the step window keeps the selection in view and counts what it hides', () => {
    expect(windowSteps(4, 0, 6)).toEqual({ from: 0, to: 4, above: 0, below: 0 });
    expect(windowSteps(6, 0, 3)).toEqual({ from: 0, to: 2, above: 0, below: 4 });
    expect(windowSteps(6, 3, 3)).toEqual({ from: 3, to: 4, above: 3, below: 2 });
    expect(windowSteps(6, 5, 3)).toEqual({ from: 4, to: 6, above: 4, below: 0 });
  });

  it('a step row cuts the title, never the state', () => {
    const step = {
      ...stepFromPlan(PLAN.steps[0]!),
      title: 'Launch the redirect instance (nginx, t3.micro) in subnet-0123456789abcdef0',
    };
    const row = stepRowText(step, 1, 50, 0, false);
    expect(row.status).toBe(' pending ~5 s');
    expect(textWidth(`x${row.number}${row.title}${row.status}`)).toBeLessThanOrEqual(50);
    expect(row.title.endsWith('…')).toBe(true);
    expect(stepRowText(step, 1, 50, 0, true).status).toBe(' paused');
  });
});

describe('target columns', () => {
  const cells = (name: string, reason = '') => ({
    id: 'i-00000000000000001',
    name,
    az: 'us-east-1a',
    port: '80',
    state: 'unhealthy',
    reason,
  });

  it('line up rows with wide characters in the Name tag', () => {
    const rows = [cells('ウェブ-1'), cells('web-2')];
    const cols = targetColumns(100, rows);
    const [a] = targetRow(rows[0]!, cols);
    const [b] = targetRow(rows[1]!, cols);
    expect(textWidth(a)).toBe(textWidth(b));
  });

  it('keep the state whole and shorten the reason code before cutting it', () => {
    const rows = [cells('web-server-with-a-long-name', 'Target.FailedHealthChecks')];
    const [, state, reason] = targetRow(rows[0]!, targetColumns(80, rows));
    expect(state.trim()).toBe('unhealthy');
    expect(reason.trim()).toBe('Target.FailedHealthChecks');
    const [, , narrow] = targetRow(rows[0]!, targetColumns(74, rows));
    expect(narrow.trim()).toBe('FailedHealthChecks');
  });
});

const exitCodeForHistory = (last: Parameters<typeof endedFor>[0]): number => exitCodeOf(endedFor(last, false));

describe('exit code when quitting', () => {
  it('keeps a clean outcome through later refusals, not through later failures', () => {
    expect(exitCodeForHistory({})).toBe(0);
    expect(exitCodeForHistory({ outcome: 'failed-over' })).toBe(0);
    expect(
      exitCodeForHistory({
        outcome: 'failed-over',
        error: new RefusedError('nothing to resume', { code: 'NothingToResume' }),
      }),
    ).toBe(0);
    expect(exitCodeForHistory({ outcome: 'aborted', error: new RefusedError('x', { code: 'UnfinishedRun' }) })).toBe(1);
    expect(exitCodeForHistory({ error: new RefusedError('locked', { code: 'LockHeld' }) })).toBe(3);
    expect(
      exitCodeForHistory({ outcome: 'rolled-back', error: new ExternalError('denied', { code: 'AccessDenied' }) }),
    ).toBe(1);
  });
});
