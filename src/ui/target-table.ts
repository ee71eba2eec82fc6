import type { InstanceInfo, ListenerAction, TargetHealth, TargetState } from '../ports/index.js';
import { fit } from './format.js';

/** Colour of a target health state. */
export function colorForTargetState(state: TargetState): string {
  switch (state) {
    case 'healthy':
      return 'green';
    case 'initial':
      return 'yellow';
    case 'draining':
      return 'blue';
    case 'unhealthy':
      return 'red';
    case 'unused':
    case 'unavailable':
      return 'gray';
  }
}

function rank(state: TargetState): number {
  switch (state) {
    case 'initial':
      return 0;
    case 'unhealthy':
      return 1;
    case 'healthy':
      return 2;
    case 'unavailable':
      return 3;
    case 'unused':
      return 4;
    case 'draining':
      return 5;
  }
}

/**
 * Targets in the order worth reading when rows are short: coming into service and failing first,
 * then serving, and draining (already leaving) last. Stable within a state.
 */
export function orderTargets(targets: readonly TargetHealth[]): readonly TargetHealth[] {
  return targets
    .map((t, i) => ({ t, i }))
    .sort((a, b) => rank(a.t.state) - rank(b.t.state) || a.i - b.i)
    .map(({ t }) => t);
}

/** `3/5 healthy · 1 draining · 1 initial`. */
export function healthSummary(targets: readonly TargetHealth[]): string {
  const counts = new Map<TargetState, number>();
  for (const t of targets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const healthy = counts.get('healthy') ?? 0;
  const others = [...counts].filter(([state]) => state !== 'healthy').map(([state, n]) => `${n} ${state}`);
  return [`${healthy}/${targets.length} healthy`, ...others].join(' · ');
}

/** A listener's default action in a few words: `forward → web-tg`, `redirect 302 → maint.example.com`. */
export function describeListenerActions(actions: readonly ListenerAction[]): string {
  const first = [...actions].sort((a, b) => Number(a['Order'] ?? 0) - Number(b['Order'] ?? 0))[0];
  if (first === undefined) return 'no default action';
  const type = String(first['Type'] ?? 'unknown');
  if (type === 'forward') return `forward → ${targetGroupName(String(first['TargetGroupArn'] ?? ''))}`;
  if (type === 'redirect') {
    const config = (first['RedirectConfig'] ?? {}) as Record<string, unknown>;
    return `redirect ${String(config['StatusCode'] ?? '').replace('HTTP_', '')} → ${String(config['Host'] ?? '#{host}')}${pathOf(config)}`;
  }
  if (type === 'fixed-response') {
    const config = (first['FixedResponseConfig'] ?? {}) as Record<string, unknown>;
    return `fixed response ${String(config['StatusCode'] ?? '')}`;
  }
  return type;
}

function pathOf(config: Record<string, unknown>): string {
  const path = config['Path'];
  return typeof path === 'string' && path !== '/#{path}' ? path : '';
}

function targetGroupName(arn: string): string {
  const match = /targetgroup\/([^/]+)/.exec(arn);
  return match?.[1] ?? (arn === '' ? '?' : arn);
}

/** Column widths of the table at a given width. */
export interface TargetColumns {
  readonly id: number;
  readonly name: number;
  readonly az: number;
  readonly port: number;
  readonly state: number;
}

export function targetColumns(width: number): TargetColumns {
  const wide = width >= 100;
  return { id: 19, name: wide ? 24 : 14, az: wide ? 12 : 10, port: 5, state: 9 };
}

/** One row's cells, already fitted to the columns; the reason takes the rest of the line. */
export function targetRow(target: TargetHealth, instance: InstanceInfo | undefined, cols: TargetColumns): readonly [string, string, string] {
  const name = instance?.tags['Name'] ?? '';
  const az = target.availabilityZone ?? instance?.availabilityZone ?? '';
  const port = target.port === undefined ? '' : String(target.port);
  const left = `${fit(target.id, cols.id)} ${fit(name, cols.name)} ${fit(az, cols.az)} ${fit(port, cols.port)} `;
  return [left, fit(target.state, cols.state), ` ${target.reason ?? ''}`];
}

/** The header row in the same columns. */
export function headerRow(cols: TargetColumns): string {
  return `${fit('TARGET', cols.id)} ${fit('NAME', cols.name)} ${fit('AZ', cols.az)} ${fit('PORT', cols.port)} ${fit('STATE', cols.state)} REASON`;
}

/** The slice of targets to draw: `rows` from `offset`, the offset clamped to the list. */
export function windowTargets<T>(targets: readonly T[], offset: number, rows: number): { readonly shown: readonly T[]; readonly from: number } {
  const from = Math.max(0, Math.min(offset, targets.length - rows));
  return { shown: targets.slice(from, from + Math.max(0, rows)), from };
}

/** `updated 4 s ago`, or `waiting for first poll`. */
export function updatedAgo(updatedAt: number | undefined, now: number): string {
  if (updatedAt === undefined) return 'waiting for first poll…';
  return `updated ${Math.max(0, Math.round((now - updatedAt) / 1000))} s ago`;
}
