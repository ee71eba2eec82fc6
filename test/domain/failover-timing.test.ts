import { describe, expect, it } from 'vitest';
import { estimateText, failoverEstimate, remainingSeconds } from '../../src/domain/failover-timing.js';

describe('failover timing of an armed site', () => {
  it('standard checks (30 s, threshold 3) behind a load balancer alias (60 s TTL)', () => {
    expect(failoverEstimate({ intervalSeconds: 30, failureThreshold: 3 })).toEqual({
      detectTypicalSeconds: 84.6,
      detectWorstSeconds: 90,
      dnsTypicalSeconds: 30,
      dnsWorstSeconds: 60,
      typicalSeconds: 114.6,
      worstSeconds: 150,
    });
  });

  it('fast checks (10 s) with threshold 1: detection within one interval, the TTL dominates', () => {
    const e = failoverEstimate({ intervalSeconds: 10, failureThreshold: 1, primaryTtlSeconds: 60 });
    expect(e.detectTypicalSeconds).toBe(8.2);
    expect(e.detectWorstSeconds).toBe(10);
    expect(e.worstSeconds).toBe(70);
  });

  it('grows by one interval for each step of the threshold, and by the TTL', () => {
    const base = failoverEstimate({ intervalSeconds: 10, failureThreshold: 2, primaryTtlSeconds: 0 });
    const more = failoverEstimate({ intervalSeconds: 10, failureThreshold: 3, primaryTtlSeconds: 0 });
    expect(more.worstSeconds - base.worstSeconds).toBe(10);
    const ttl = failoverEstimate({ intervalSeconds: 10, failureThreshold: 2, primaryTtlSeconds: 300 });
    expect(ttl.worstSeconds - base.worstSeconds).toBe(300);
    expect(ttl.typicalSeconds - base.typicalSeconds).toBe(150);
  });

  it('refuses a threshold Route 53 does not accept', () => {
    expect(() => failoverEstimate({ intervalSeconds: 30, failureThreshold: 0 })).toThrow(/1 to 10/);
    expect(() => failoverEstimate({ intervalSeconds: 30, failureThreshold: 11 })).toThrow(/1 to 10/);
  });

  it('counts down while the primary fails, never below zero', () => {
    const e = failoverEstimate({ intervalSeconds: 30, failureThreshold: 3 });
    expect(remainingSeconds(e, 0)).toBe(115);
    expect(remainingSeconds(e, 100)).toBe(15);
    expect(remainingSeconds(e, 500)).toBe(0);
  });

  it('says it in one line with the worst case and where it comes from', () => {
    expect(estimateText({ intervalSeconds: 30, failureThreshold: 3 })).toBe(
      '~115 s (at most 150 s: 3 × 30 s checks + 60 s TTL)',
    );
  });
});
