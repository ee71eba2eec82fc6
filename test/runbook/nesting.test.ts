import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, tooDeepAt } from '../../src/runbook/nesting.js';

describe('nesting bound before the YAML parser', () => {
  it('passes every shipped and fixture runbook', () => {
    const dirs = ['runbooks', 'test/fixtures/runbooks/good', 'test/fixtures/runbooks/bad'];
    for (const file of dirs.flatMap((d) => readdirSync(d).map((f) => join(d, f))))
      expect([file, tooDeepAt(readFileSync(file, 'utf8'))]).toEqual([file, undefined]);
  });

  it('flow collections: at the limit is fine, one more is too deep; quotes and comments do not count', () => {
    expect(tooDeepAt(`${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}`)).toBeUndefined();
    expect(tooDeepAt(`x: ${'['.repeat(MAX_NESTING + 1)}`)).toBe(3 + MAX_NESTING);
    expect(
      tooDeepAt(`a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\nc: "\\"${'['.repeat(500)}"\n`),
    ).toBeUndefined();
  });

  it('block levels: indicators and indentation past twice the limit are too deep; blank lines are not', () => {
    expect(tooDeepAt(`${'- '.repeat(MAX_NESTING)}x\n`)).toBeUndefined();
    expect(tooDeepAt(`name: x\n${'- '.repeat(MAX_NESTING + 1)}x\n`)).toBe(8);
    expect(tooDeepAt(`name: x\n${' '.repeat(500)}\n${' '.repeat(300)}# note\n`)).toBeUndefined();
    expect(tooDeepAt(`a:\n${' '.repeat(2 * MAX_NESTING + 1)}b: c\n`)).toBe(3);
  });
});
