import { describe, expect, it } from 'vitest';
import { closest, describeIssue, editDistance, knownKeysAt } from '../../src/runbook/messages.js';
import { runbookSchema, STEP_TYPES } from '../../src/runbook/schema.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['instanceTyep', 'instanceType', 2], // a swap is two edits, not one
    ['maintenence', 'maintenance', 1],
    ['lauch-redirect', 'launch-redirect', 1],
    ['Region', 'region', 1], // case counts here; closest() ignores it
  ])('%j -> %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const keys = [
    'name',
    'description',
    'region',
    'site',
    'maintenance',
    'loadBalancer',
    'webServers',
    'redirectServer',
    'dns',
    'polling',
    'steps',
  ];

  it('finds the near miss', () => {
    expect(closest('maintenence', keys)).toBe('maintenance');
    expect(closest('loadbalancer', keys)).toBe('loadBalancer'); // case-insensitive
    expect(closest('webServer', keys)).toBe('webServers');
    expect(closest('step', keys)).toBe('steps');
    expect(closest('lauch-redirect', [...STEP_TYPES])).toBe('launch-redirect');
    expect(closest('deregister', [...STEP_TYPES])).toBeUndefined();
  });

  it('allows at least two edits, and a third of the word for long words', () => {
    expect(closest('nmae', keys)).toBe('name'); // 2 edits in 4 letters
    expect(closest('rdrctServer', keys)).toBe('redirectServer'); // 3 edits, 11 letters: floor(11/3) = 3
    expect(closest('rdrctSrver', keys)).toBeUndefined(); // 4 edits, 10 letters: only 3 allowed
  });

  it('says nothing when no candidate is near', () => {
    expect(closest('colour', ['type', 'id', 'text'])).toBeUndefined();
    expect(closest('anything', [])).toBeUndefined();
  });

  it('prefers the first of equally near candidates', () => {
    expect(closest('ab', ['ax', 'xb'])).toBe('ax');
  });
});

describe('knownKeysAt', () => {
  it('lists the top-level keys', () => {
    expect(knownKeysAt([], {})).toEqual([
      'name',
      'description',
      'region',
      'site',
      'maintenance',
      'loadBalancer',
      'webServers',
      'redirectServer',
      'dns',
      'armed',
      'polling',
      'steps',
    ]);
  });

  it('looks through optional sections and refinements', () => {
    expect(knownKeysAt(['redirectServer'], { redirectServer: {} })).toContain('instanceType');
    expect(knownKeysAt(['webServers'], { webServers: {} })).toEqual(['instanceIds', 'tags']);
  });

  it('resolves a step by its type', () => {
    const raw = { steps: [{ type: 'manual' }, { type: 'set-listener-redirect' }] };
    expect(knownKeysAt(['steps', '0'], raw)).toEqual(['type', 'id', 'text']);
    expect(knownKeysAt(['steps', '1'], raw)).toEqual(['type', 'id', 'statusCode', 'keepPath', 'rules']);
  });

  it('knows nothing about a step of an unknown type', () => {
    expect(knownKeysAt(['steps', '0'], { steps: [{ type: 'nope' }] })).toEqual([]);
  });
});

describe('describeIssue', () => {
  const issueFor = (raw: unknown) => {
    const result = runbookSchema.safeParse(raw);
    if (result.success) throw new Error('expected a failure');
    return result.error.issues;
  };

  it('says "required" for a missing field and shows the value for a wrong one', () => {
    const issues = issueFor({ name: 3 });
    const name = issues.find((i) => i.path.join('.') === 'name')!;
    expect(describeIssue(name, 3)).toBe('expected a string, got 3');
    const region = issues.find((i) => i.path.join('.') === 'region')!;
    expect(describeIssue(region, undefined)).toBe('required: expected a string');
    const steps = issues.find((i) => i.path.join('.') === 'steps')!;
    expect(describeIssue(steps, undefined)).toBe('required: expected a list');
  });
});
