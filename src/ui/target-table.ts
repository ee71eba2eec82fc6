import type { RunState } from '../store/state.js';
import type { RunEnvironment } from '../domain/types.js';
import {
  hotspareTargetsOf,
  roleCounts,
  roleCountsText,
  runsInEffect,
  unaccounted,
  type OwnRun,
} from '../plan/hotspare-targets.js';
import type { InstanceInfo, ListenerAction, TargetHealth, TargetState } from '../ports/index.js';
import { listenerPart } from './target-summary.js';
import { fit, textWidth, truncate } from './text.js';

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
  const part = listenerPart(actions);
  return `${part.before}${part.name}${part.after}`.replace(/^listener: /, '');
}

/** One target's cells before fitting. */
export interface TargetCells {
  readonly id: string;
  readonly name: string;
  readonly az: string;
  readonly port: string;
  readonly state: string;
  readonly reason: string;
}

/** A target with its instance's Name tag and AZ. */
export function targetCells(target: TargetHealth, instance: InstanceInfo | undefined): TargetCells {
  return {
    id: target.id,
    name: instance?.tags['Name'] ?? '',
    az: target.availabilityZone ?? instance?.availabilityZone ?? '',
    port: target.port === undefined ? '' : String(target.port),
    state: target.state,
    reason: target.reason ?? '',
  };
}

/** Column widths in terminal columns; the reason takes the rest of the line. */
export interface TargetColumns {
  readonly id: number;
  readonly name: number;
  readonly az: number;
  readonly port: number;
  readonly state: number;
  readonly reason: number;
}

const HEADER: TargetCells = { id: 'TARGET', name: 'NAME', az: 'AZ', port: 'PORT', state: 'STATE', reason: 'REASON' };
/** The Name column shrinks to this before the reason is shortened. */
const MIN_NAME = 8;

function widest(rows: readonly TargetCells[], cell: keyof TargetCells): number {
  return Math.max(...rows.map((r) => textWidth(r[cell])));
}

/**
 * Columns sized to the rows shown (measured in terminal columns, so wide characters in Name tags line
 * up): id, AZ, port and state whole; the Name and the reason share what is left.
 */
export function targetColumns(width: number, rows: readonly TargetCells[]): TargetColumns {
  const all = [HEADER, ...rows];
  const fixed = {
    id: widest(all, 'id'),
    az: widest(all, 'az'),
    port: widest(all, 'port'),
    state: widest(all, 'state'),
  };
  const rest = width - fixed.id - fixed.az - fixed.port - fixed.state - 5;
  const nameWant = Math.min(widest(all, 'name'), 32);
  const reasonWant = widest(all, 'reason');
  const name = nameWant + reasonWant <= rest ? nameWant : Math.max(Math.min(nameWant, MIN_NAME), rest - reasonWant);
  return { ...fixed, name, reason: Math.max(0, rest - name) };
}

/** `Target.FailedHealthChecks` as `FailedHealthChecks` when the full code does not fit. */
function fitReason(reason: string, width: number): string {
  if (textWidth(reason) <= width) return reason;
  return truncate(reason.replace(/^(Target|Elb)\./, ''), width);
}

/** One row's cells, fitted to the columns: the text before the state, the state, and the reason. */
export function targetRow(cells: TargetCells, cols: TargetColumns): readonly [string, string, string] {
  const left = `${fit(cells.id, cols.id)} ${fit(cells.name, cols.name)} ${fit(cells.az, cols.az)} ${fit(cells.port, cols.port)} `;
  return [left, fit(cells.state, cols.state), cells.reason === '' ? '' : ` ${fitReason(cells.reason, cols.reason)}`];
}

/** The header row in the same columns. */
export function headerRow(cols: TargetColumns): string {
  const [left, state, reason] = targetRow(HEADER, cols);
  return `${left}${state}${reason}`;
}

/** The line under a windowed table: how many targets are hidden below and above. */
export function moreTargets(above: number, below: number): string {
  const parts = [below > 0 ? `+${below} more below` : '', above > 0 ? `${above} above` : ''].filter((p) => p !== '');
  return `  ${parts.join(', ')} (PgUp/PgDn)`;
}

/** The slice of targets to draw: `rows` from `offset`, the offset clamped to the list. */
export function windowTargets<T>(
  targets: readonly T[],
  offset: number,
  rows: number,
): { readonly shown: readonly T[]; readonly from: number } {
  const from = Math.max(0, Math.min(offset, targets.length - rows));
  return { shown: targets.slice(from, from + Math.max(0, rows)), from };
}

/** `updated 4 s ago`, or `waiting for first poll`. */
export function updatedAgo(updatedAt: number | undefined, now: number): string {
  if (updatedAt === undefined) return 'waiting for first poll…';
  return `updated ${Math.max(0, Math.round((now - updatedAt) / 1000))} s ago`;
}

/** The journal's run, or the run this dashboard is driving, while it is in effect (see `AppData.ownRun`). */
export function ownRunNow(own: OwnRun | undefined, run: Pick<RunState, 'runId' | 'outcome' | 'steps'>): OwnRun {
  if (run.runId === undefined) return own ?? {};
  if (run.outcome === 'rolled-back' || run.outcome === 'abandoned') return {};
  const launched = run.steps.map((s) => s.outputs?.['instanceId']).filter((id): id is string => typeof id === 'string');
  return { runId: run.runId, instanceIds: [...(own?.runId === run.runId ? (own.instanceIds ?? []) : []), ...launched] };
}

/**
 * The table's summary and danger from AWS's tags: counts by role (`web 3/3 healthy · redirect 1/1
 * healthy`, then targets not healthy by state), and a danger line when a hotspare-tagged target is
 * registered that no run in progress here accounts for. Untagged targets are web servers unless the
 * environment (read from the account) names the web servers.
 */
export function rolesSummary(
  targets: readonly TargetHealth[],
  instances: Readonly<Record<string, InstanceInfo>>,
  env: RunEnvironment | undefined,
  own: OwnRun,
): { readonly summary: string; readonly danger?: string | undefined } {
  const all = Object.values(instances);
  const webIds = new Set((env?.webInstances ?? []).map((i) => i.id));
  const counts = roleCounts(targets, all, (id) => webIds.size === 0 || webIds.has(id));
  const others = new Map<string, number>();
  for (const t of targets) if (t.state !== 'healthy') others.set(t.state, (others.get(t.state) ?? 0) + 1);
  const summary = [roleCountsText(counts), ...[...others].map(([state, n]) => `${n} ${state}`)].join(' · ');
  const stray = unaccounted(hotspareTargetsOf(targets, all), own);
  if (stray.length === 0) return { summary };
  const runs = runsInEffect(stray)
    .map(
      (r) =>
        `${r.instances.map((i) => `${i.id} ${i.role}`).join(', ')} of run ${r.runId}${r.startedBy === undefined ? '' : ` by ${r.startedBy}`}`,
    )
    .join('; ');
  return {
    summary,
    danger: `DANGER ${runs}: in the target group, no run in progress here (hotspare status says what to do)`,
  };
}
