import { describe, expect, it } from 'vitest';
import { bypassGroups, freePriorities, isBypassRule } from '../../src/domain/staff-bypass.js';
import { parseCidr } from '../../src/runbook/formats.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc';

describe('staff bypass CIDRs and rules', () => {
  it.each([
    ['203.0.113.0/24', 4],
    ['10.0.0.0/8', 4],
    ['192.0.2.7/32', 4],
    ['0.0.0.0/0', 4],
    ['2001:db8::/32', 6],
    ['::1/128', 6],
  ])('%s is a CIDR block', (value, family) => {
    expect(parseCidr(value)).toMatchObject({ kind: 'cidr', family });
  });

  it.each([
    ['203.0.113.0', 'a CIDR block such as'],
    ['203.0.113.0/33', 'a CIDR block such as'],
    ['256.0.0.0/8', 'a CIDR block such as'],
    ['office', 'a CIDR block such as'],
    ['2001:db8::/129', 'a CIDR block such as'],
    ['1:2:3/64', 'a CIDR block such as'],
    ['10.1.2.3/16', "the block's network address, 10.1.0.0/16"],
  ])('%s is refused: expected %s', (value, expected) => {
    const parsed = parseCidr(value);
    expect(parsed.kind).toBe('problem');
    expect(parsed.kind === 'problem' ? parsed.expected : '').toContain(expected);
  });

  it('groups CIDRs five to a rule, in order', () => {
    const cidrs = Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`);
    expect(bypassGroups(cidrs).map((g) => g.length)).toEqual([5, 5, 1]);
    expect(bypassGroups(cidrs).flat()).toEqual(cidrs);
  });

  it('takes the lowest free priorities', () => {
    const rule = (priority: number) => ({ arn: `r${priority}`, priority, conditions: [], actions: [] });
    expect(freePriorities([rule(1), rule(3)], 3)).toEqual([2, 4, 5]);
  });

  it('knows its own rules by shape: only a source-ip condition with our CIDRs, forwarding to the web group alone', () => {
    const ours = {
      arn: 'r1',
      priority: 1,
      conditions: [{ Field: 'source-ip', SourceIpConfig: { Values: ['203.0.113.0/24'] } }],
      actions: [{ Type: 'forward', TargetGroupArn: TG }],
    };
    expect(isBypassRule(ours, TG, ['203.0.113.0/24', '198.51.100.0/24'])).toBe(true);
    expect(isBypassRule(ours, TG, ['198.51.100.0/24'])).toBe(false);
    expect(
      isBypassRule({ ...ours, actions: [{ Type: 'forward', TargetGroupArn: `${TG}x` }] }, TG, ['203.0.113.0/24']),
    ).toBe(false);
    expect(
      isBypassRule({ ...ours, conditions: [...ours.conditions, { Field: 'path-pattern', Values: ['/admin/*'] }] }, TG, [
        '203.0.113.0/24',
      ]),
    ).toBe(false);
  });
});
