import type { ScalingGroup } from '../ports/scaling.js';
import type { ListenerAction } from '../ports/index.js';
import type { StepView } from '../store/state.js';
import { textWidth, truncate } from './text.js';

/**
 * The target table's summary, fitted to the terminal's width. Counts and states are never cut; names
 * (target groups, Auto Scaling groups, a redirect's host) are shortened instead, and when one line
 * cannot hold it all the summary takes two. Pure.
 */

/** A run of text in one style. */
export interface Segment {
  readonly text: string;
  readonly bold?: boolean | undefined;
  readonly dim?: boolean | undefined;
}

/** Text around a name: only the name may be shortened. */
export interface NamedPart {
  readonly before: string;
  readonly name: string;
  readonly after: string;
}

export interface SummaryInput {
  /** `web 3/3 healthy · redirect 1/1 healthy · 3 draining`: counts and states, never cut. */
  readonly roles: string;
  readonly listener?: NamedPart | undefined;
  readonly scaling: readonly NamedPart[];
  /** `updated 4 s ago`: dropped first when nothing else fits. */
  readonly updated: string;
}

const SEP = ' · ';
const TITLE: Segment = { text: 'Targets ', bold: true };

/**
 * The Auto Scaling groups behind the target group: `ASG web-asg 3/6`, then `will be frozen` while
 * the run's suspend-scaling step is still to come and `frozen` once it is done (not rolled back).
 */
export function scalingParts(
  groups: readonly ScalingGroup[] | undefined,
  steps: readonly Pick<StepView, 'type' | 'state'>[],
): readonly NamedPart[] {
  const step = steps.find((s) => s.type === 'suspend-scaling');
  const state =
    step?.state === 'succeeded'
      ? ' frozen'
      : step?.state === 'pending' || step?.state === 'running'
        ? ' will be frozen'
        : '';
  return (groups ?? []).map((g) => ({ before: 'ASG ', name: g.name, after: ` ${g.desired}/${g.max}${state}` }));
}

/** A listener's default action with the name it points at: `listener: forward → web-tg`. */
export function listenerPart(actions: readonly ListenerAction[]): NamedPart {
  const first = [...actions].sort((a, b) => Number(a['Order'] ?? 0) - Number(b['Order'] ?? 0))[0];
  if (first === undefined) return { before: 'listener: no default action', name: '', after: '' };
  const type = String(first['Type'] ?? 'unknown');
  if (type === 'forward')
    return { before: 'listener: forward → ', name: targetGroupName(String(first['TargetGroupArn'] ?? '')), after: '' };
  if (type === 'redirect') {
    const config = (first['RedirectConfig'] ?? {}) as Record<string, unknown>;
    const path = typeof config['Path'] === 'string' && config['Path'] !== '/#{path}' ? config['Path'] : '';
    return {
      before: `listener: redirect ${String(config['StatusCode'] ?? '').replace('HTTP_', '')} → `,
      name: `${String(config['Host'] ?? '#{host}')}${path}`,
      after: '',
    };
  }
  if (type === 'fixed-response') {
    const config = (first['FixedResponseConfig'] ?? {}) as Record<string, unknown>;
    return { before: `listener: fixed response ${String(config['StatusCode'] ?? '')}`, name: '', after: '' };
  }
  return { before: `listener: ${type}`, name: '', after: '' };
}

function targetGroupName(arn: string): string {
  const match = /targetgroup\/([^/]+)/.exec(arn);
  return match?.[1] ?? (arn === '' ? '?' : arn);
}

const partText = (p: NamedPart): string => `${p.before}${p.name}${p.after}`;
const width = (segments: readonly Segment[]): number => segments.reduce((n, s) => n + textWidth(s.text), 0);

/**
 * The longest length every name can keep so that all of them fit in `room` columns (the longest
 * names are shortened first, each down to one column).
 */
function nameCap(names: readonly number[], room: number): number {
  const longest = Math.max(0, ...names);
  for (let cap = longest; cap > 1; cap--) if (names.reduce((n, l) => n + Math.min(l, cap), 0) <= room) return cap;
  return 1;
}

/** The parts joined by ` · ` in `columns`, names shortened as needed; cut at the end only when even one-column names do not fit. */
export function fitNamed(parts: readonly NamedPart[], columns: number): string {
  const fixed =
    parts.reduce((n, p) => n + textWidth(p.before) + textWidth(p.after), 0) + SEP.length * (parts.length - 1);
  const named = parts.filter((p) => p.name !== '');
  const cap = nameCap(
    named.map((p) => textWidth(p.name)),
    columns - fixed,
  );
  const text = parts
    .map((p) => (p.name === '' ? partText(p) : `${p.before}${truncate(p.name, cap)}${p.after}`))
    .join(SEP);
  return truncate(text, columns);
}

/** The summary in one line when it fits, else two: the counts (and the update time if it fits), then listener and groups. */
export function summaryLines(input: SummaryInput, columns: number): readonly (readonly Segment[])[] {
  const named = [...(input.listener === undefined ? [] : [input.listener]), ...input.scaling];
  const updated: Segment = { text: `${SEP}${input.updated}`, dim: true };
  const one: Segment[] = [TITLE, { text: [input.roles, ...named.map(partText)].join(SEP) }, updated];
  if (width(one) <= columns) return [one];
  const counts: Segment[] = [TITLE, { text: input.roles }];
  const first =
    width([...counts, updated]) <= columns
      ? [...counts, updated]
      : [TITLE, { text: truncate(input.roles, columns - textWidth(TITLE.text)) }];
  return named.length === 0 ? [first] : [first, [{ text: fitNamed(named, columns) }]];
}
