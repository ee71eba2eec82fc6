import { hotspareTargetsOf } from '../plan/hotspare-targets.js';
import type { InstanceInfo, TargetHealth } from '../ports/index.js';
import type { Prompt } from '../store/state.js';

/** Ids of `Targets: [{Id}]` in a call's parameters. */
function targetIdsOf(params: Readonly<Record<string, unknown>>): readonly string[] {
  const list = params['Targets'];
  if (!Array.isArray(list)) return [];
  return list
    .map((t: unknown) => (typeof t === 'object' && t !== null ? (t as Record<string, unknown>)['Id'] : undefined))
    .filter((id): id is string => typeof id === 'string');
}

/**
 * The targets the open question depends on, to be drawn first and never windowed away: for a step
 * whose calls name targets (deregistering the web servers, registering the redirect instance), the
 * hotspare instances registered now (is the redirect instance healthy?) and the targets it names.
 * Empty when no such question is open. Pure.
 */
export function questionTargets(
  prompt: Prompt | undefined,
  targets: readonly TargetHealth[],
  instances: Readonly<Record<string, InstanceInfo>>,
): readonly string[] {
  if (prompt === undefined || prompt.kind === 'rollback') return [];
  const named = prompt.request.step.calls.flatMap((c) => targetIdsOf(c.params));
  if (named.length === 0) return [];
  const hotspare = hotspareTargetsOf(targets, Object.values(instances)).map((t) => t.id);
  const registered = new Set(targets.map((t) => t.id));
  return [...new Set([...hotspare, ...named])].filter((id) => registered.has(id));
}

/** `ordered` with the `pinned` ids first, in the order given; the rest keep their order. */
export function pinFirst(ordered: readonly TargetHealth[], pinned: readonly string[]): readonly TargetHealth[] {
  if (pinned.length === 0) return ordered;
  const rank = new Map(pinned.map((id, i) => [id, i]));
  const first = ordered.filter((t) => rank.has(t.id)).sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
  return [...first, ...ordered.filter((t) => !rank.has(t.id))];
}
