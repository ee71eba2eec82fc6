import { describe, expect, it } from 'vitest';
import type { Distributions, InvalidationInfo } from '../../src/ports/edge.js';
import type { Clock } from '../../src/ports/index.js';
import {
  callerReferenceOf,
  invalidatePublish,
  invalidationPaths,
  invalidationText,
  MAX_INVALIDATION_PATHS,
  unfinishedInvalidations,
} from '../../src/site/invalidate.js';

const upload = (key: string) => ({ key }) as never;

/** A distribution whose invalidation completes after `polls` reads; a clock that only moves when slept. */
function fakeEdge(polls: number): { distributions: Distributions; clock: Clock; created: string[][] } {
  let now = 0;
  let reads = 0;
  const created: string[][] = [];
  const at = (status: InvalidationInfo['status']): InvalidationInfo => ({
    id: 'I1',
    status,
    createTime: new Date(now).toISOString(),
  });
  const distributions = {
    createInvalidation: (_id: string, paths: readonly string[]) => {
      created.push([...paths]);
      return Promise.resolve({ invalidation: at('InProgress'), requestId: 'r1' });
    },
    getInvalidation: () => Promise.resolve(at(++reads >= polls ? 'Completed' : 'InProgress')),
  } as unknown as Distributions;
  const clock: Clock = { now: () => now, sleep: (ms) => ((now += ms), Promise.resolve()) };
  return { distributions, clock, created };
}

const manifest = { publishedAt: '2026-12-03T10:00:00.000Z' } as never;

describe('the invalidation of a publish', () => {
  it('is exactly the changed keys, a folder index also as its folder, the home page also as /, the pending list left out', () => {
    expect(
      invalidationPaths({
        uploads: ['css/a.1234567890.css', 'about/index.html', 'index.html', 'hotspare-manifest.json'].map(upload),
        deletes: ['old/index.html', 'hotspare-manifest.pending.json'],
      }),
    ).toEqual([
      '/css/a.1234567890.css',
      '/about/',
      '/about/index.html',
      '/',
      '/index.html',
      '/hotspare-manifest.json',
      '/old/',
      '/old/index.html',
    ]);
  });

  it('encodes what a path cannot carry, and sends one wildcard past CloudFront limit', () => {
    expect(invalidationPaths({ uploads: [upload('a b/index.cat=3&paged=2.html')], deletes: [] })).toEqual([
      '/a%20b/index.cat%3D3%26paged%3D2.html',
    ]);
    const many = Array.from({ length: MAX_INVALIDATION_PATHS + 1 }, (_, i) => upload(`p${i}.png`));
    expect(invalidationPaths({ uploads: many, deletes: [] })).toEqual(['/*']);
  });

  it('the same publish asks with the same caller reference, another publish with another', () => {
    expect(callerReferenceOf('t1', ['/a'])).toBe(callerReferenceOf('t1', ['/a']));
    expect(callerReferenceOf('t2', ['/a'])).not.toBe(callerReferenceOf('t1', ['/a']));
  });

  it('nothing changed: no invalidation', async () => {
    const edge = fakeEdge(1);
    expect(
      await invalidatePublish({ ...edge, distributionId: 'E1', plan: { uploads: [], deletes: [], manifest } }),
    ).toBeUndefined();
    expect(edge.created).toEqual([]);
  });

  it('without a wait: one call, reported InProgress', async () => {
    const edge = fakeEdge(1);
    const r = await invalidatePublish({
      ...edge,
      distributionId: 'E1',
      plan: { uploads: [upload('index.html')], deletes: [], manifest },
    });
    expect(edge.created).toEqual([['/', '/index.html']]);
    expect(r).toMatchObject({ waited: false, completed: false, invalidation: { status: 'InProgress' } });
  });

  it('with a wait: polls until Completed', async () => {
    const edge = fakeEdge(3);
    const seen: string[] = [];
    const r = await invalidatePublish({
      ...edge,
      distributionId: 'E1',
      plan: { uploads: [upload('index.html')], deletes: [], manifest },
      waitMs: 60_000,
      pollMs: 5000,
      onProgress: (s) => seen.push(s),
    });
    expect(r).toMatchObject({ waited: true, completed: true });
    expect(seen).toHaveLength(3);
  });

  it('with a wait that runs out: reported not completed', async () => {
    const edge = fakeEdge(100);
    const r = await invalidatePublish({
      ...edge,
      distributionId: 'E1',
      plan: { uploads: [upload('index.html')], deletes: [], manifest },
      waitMs: 20_000,
      pollMs: 5000,
    });
    expect(r).toMatchObject({ waited: true, completed: false });
  });

  it('the journal: planned or sent without an answer is unfinished until a sent record names it (or covers it)', () => {
    const at = '2026-12-03T10:00:00.000Z';
    expect(
      unfinishedInvalidations([
        { at, phase: 'planned', callerReference: 'a', paths: ['/a'] },
        { at, phase: 'planned', callerReference: 'b', paths: ['/b'] },
        { at, phase: 'sending', callerReference: 'b', paths: ['/b'], distributionId: 'E1' },
        { at, phase: 'planned', callerReference: 'c', paths: ['/c'] },
        { at, phase: 'sending', callerReference: 'd', paths: ['/d', '/c'], covers: ['c'] },
        { at, phase: 'sent', callerReference: 'd', invalidationId: 'I4', covers: ['c'] },
        { at, phase: 'planned', callerReference: 'e', paths: ['/e'] },
        { at, phase: 'failed', callerReference: 'e', error: 'Throttled' },
      ]),
    ).toEqual([
      { callerReference: 'a', paths: ['/a'], phase: 'planned', distributionId: undefined },
      { callerReference: 'b', paths: ['/b'], phase: 'sending', distributionId: 'E1' },
      { callerReference: 'e', paths: ['/e'], phase: 'failed', distributionId: undefined },
    ]);
  });

  it('the report says what an earlier, unfinished publish left: found already made, or sent now', () => {
    const base = {
      distributionId: 'E1',
      invalidation: { id: 'I9', status: 'InProgress' as const, createTime: '' },
      paths: ['/'],
      waited: false,
      completed: false,
      requestIds: [],
    };
    expect(invalidationText({ ...base, recovered: { found: ['I7'], included: 0 } })).toContain(
      "CloudFront invalidation I9 of 1 path(s) on E1 (an earlier publish's invalidation I7 had reached CloudFront: not sent again)",
    );
    expect(invalidationText({ ...base, recovered: { found: [], included: 2 } })).toContain(
      '(with the paths of 2 earlier publish(es) whose invalidation was never sent)',
    );
    expect(invalidationText(base)).toMatch(/^CloudFront invalidation I9 of 1 path\(s\) on E1: InProgress/);
  });
});
