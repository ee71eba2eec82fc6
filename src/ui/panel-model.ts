import type { RunSummary } from '../engine/run-summary.js';
import type { PlannedStep } from '../plan/types.js';
import { launchedRedirectId, withRedirectId } from '../store/known-ids.js';
import { selectedIndex } from '../store/app-store.js';
import type { AppData, NextCommands, Prompt, RunState } from '../store/state.js';
import { hotspareTargetsOf } from '../plan/hotspare-targets.js';
import { errorBannerLines, offerLines, outcomeBannerLines, outcomeDetailLines, quitLines } from './banner.js';
import { promptParts } from './confirm-prompt.js';
import { line, wrapLines, type Line } from './line-model.js';
import { detailLines, stepDetailLines } from './step-detail.js';

/**
 * What the panel (the one place that asks or tells) shows, already wrapped to its width: `top` and
 * `bottom` are never cut, `body` scrolls when it does not fit, `input` reserves the runbook-name row.
 */
export interface PanelModel {
  readonly top: readonly Line[];
  readonly body: readonly Line[];
  readonly bottom: readonly Line[];
  readonly input: boolean;
  /** Shown under a question in rows to spare: the steps that come next, or what the failed step did. */
  readonly after: readonly Line[];
  /** The operator is being asked something (PgUp/PgDn scroll the body, the layout makes room). */
  readonly asking: boolean;
}

/**
 * Lines with the placeholder commands of engine and step messages (`hotspare resume RUNBOOK`) made
 * the real ones for this run, as the headless output prints them, so they can be pasted.
 */
export function withNextCommands(lines: readonly Line[], commands: NextCommands | undefined): readonly Line[] {
  if (commands === undefined) return lines;
  return lines.map((l) => {
    const text = l.text.replace(
      /hotspare (resume|rollback|abandon|status) RUNBOOK/g,
      (whole, verb: keyof NextCommands) => commands[verb] ?? whole,
    );
    return text === l.text ? l : { ...l, text };
  });
}

/**
 * ARNs with their partition, service, region and account left out (`arn:…:targetgroup/web-tg/0123…`):
 * the header names the region and account, and the resource's type, name and id stay whole, so a
 * call fits an 80-column line without an ARN wrapping mid-word. The whole-screen view (Tab) shows
 * them in full.
 */
export function shortArns(text: string): string {
  return text.replace(/\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d*:(?=[A-Za-z])/g, 'arn:…:');
}

function wrapped(
  top: readonly Line[],
  body: readonly Line[],
  bottom: readonly Line[],
  width: number,
  input = false,
  asking = false,
  after: readonly Line[] = [],
  commands?: NextCommands,
  short = true,
): PanelModel {
  const fit = (lines: readonly Line[]): readonly Line[] =>
    wrapLines(
      withNextCommands(lines, commands).map((l) => (short ? { ...l, text: shortArns(l.text) } : l)),
      width,
    );
  return { top: fit(top), body: fit(body), bottom: fit(bottom), input, asking, after: fit(after) };
}

/** Quit confirmation, then the engine's prompt, then the unfinished-run offer, else banners above the step detail. */
export function panelModel(state: AppData, offer: RunSummary | undefined, width: number): PanelModel {
  if (state.ui.overlay === 'quit')
    return wrapped(
      quitLines(state.run.phase === 'rolling-back' ? (state.rollbackQuitHint ?? state.quitHint) : state.quitHint),
      [],
      [],
      width,
      false,
      true,
      [],
      state.nextCommands,
      !state.ui.expanded,
    );
  const prompt =
    state.prompt === undefined ? undefined : withRealIds(state.prompt, launchedRedirectId(state.run.steps));
  if (prompt !== undefined) {
    const parts = promptParts(prompt, state.mode);
    return wrapped(
      parts.top,
      parts.body,
      parts.bottom,
      width,
      parts.input,
      true,
      afterPrompt(state, prompt),
      state.nextCommands,
      !state.ui.expanded,
    );
  }
  if (state.ui.overlay === 'offer' && offer !== undefined)
    return wrapped(
      offerLines(offer, state.mode),
      [],
      [],
      width,
      false,
      true,
      [],
      state.nextCommands,
      !state.ui.expanded,
    );
  const banner = [...errorBannerLines(state.ui.error), ...outcomeBannerLines(state.run)];
  return wrapped(
    banner,
    [
      ...outcomeDetailLines(state.run),
      ...startingLines(state),
      ...detailLines(liveHazards(state), selectedIndex(state)),
    ],
    [],
    width,
    false,
    false,
    [],
    state.nextCommands,
    !state.ui.expanded,
  );
}

/**
 * The plan's hazards as the dashboard's reads show them now: the plan's run in effect (read when the
 * session opened) is dropped once the monitor's reads of the target group show no hotspare-tagged
 * target, so the screen does not say a failover is refused after the leftover was removed (the
 * failover reads the tags again itself). A leftover registered since is the target table's DANGER line.
 */
function liveHazards(state: AppData): RunState {
  const { run, dashboard } = state;
  if (dashboard.updatedAt === undefined || !run.hazards.some((h) => h.code === 'run-in-effect')) return run;
  // Only when the tags of every registered instance were read: an instance not described yet may be the leftover.
  const described = dashboard.targets.every((t) => !t.id.startsWith('i-') || dashboard.instances[t.id] !== undefined);
  if (!described || hotspareTargetsOf(dashboard.targets, Object.values(dashboard.instances)).length > 0) return run;
  return { ...run, hazards: run.hazards.filter((h) => h.code !== 'run-in-effect') };
}

/** The prompt's calls (and undo calls) with the redirect instance's real id once the run launched it. */
function withRealIds(prompt: Prompt, id: string | undefined): Prompt {
  if (id === undefined) return prompt;
  const step = (s: PlannedStep): PlannedStep => ({
    ...s,
    calls: s.calls.map((c) => withRedirectId(c, id)),
    undo: s.undo?.map((c) => withRedirectId(c, id)),
  });
  if (prompt.kind === 'rollback')
    return { ...prompt, request: { ...prompt.request, steps: prompt.request.steps.map(step) } };
  if (prompt.kind === 'failure') return prompt;
  return { ...prompt, request: { ...prompt.request, step: step(prompt.request.step) } } as Prompt;
}

/** Under a question: what the failed step did (its calls and errors), or the steps that come next (a rollback lists its own). */
function afterPrompt(state: AppData, prompt: Prompt): readonly Line[] {
  if (prompt.kind === 'rollback' || (prompt.kind !== 'failure' && prompt.request.phase === 'undo')) return [];
  const index = state.run.steps.findIndex((s) => s.id === prompt.request.step.id);
  if (index < 0) return [];
  if (prompt.kind === 'failure') {
    const step = state.run.steps[index];
    return step === undefined ? [] : [line(''), ...stepDetailLines(step)];
  }
  const next = state.run.steps.slice(index + 1);
  return next.length === 0 ? [] : [line(''), line('Then:', { dim: true }), ...next.flatMap((s) => stepDetailLines(s))];
}

/** While a command starts: say so plainly, and where early typing goes. */
function startingLines(state: AppData): readonly Line[] {
  if (!state.ui.starting) return [];
  const live = state.mode === 'live';
  return [
    line('Starting: reading the account before the first step…', { bold: true, color: 'cyan' }),
    ...(live
      ? [
          line(
            `Typing now goes to the runbook-name prompt: ${state.ui.typeahead === '' ? '(nothing yet)' : state.ui.typeahead} · Esc clears it`,
            { dim: true },
          ),
        ]
      : []),
  ];
}

/**
 * Rows the panel must have (top, bottom, input and two body rows), would like (all of it), and
 * could fill with what comes after a question.
 */
export function panelRows(model: PanelModel): { readonly min: number; readonly want: number; readonly more: number } {
  const fixed = model.top.length + model.bottom.length + (model.input ? 1 : 0);
  const want = fixed + model.body.length;
  return { min: fixed + Math.min(model.body.length, 2), want, more: want + model.after.length };
}

/** The body rows shown from `scroll` in `rows` rows, with a line saying how many are hidden above and below. */
export function windowBody(
  body: readonly Line[],
  rows: number,
  scroll: number,
  hint: string,
): { readonly lines: readonly Line[]; readonly maxScroll: number } {
  if (body.length <= rows) return { lines: body, maxScroll: 0 };
  if (rows <= 0) return { lines: [], maxScroll: 0 };
  const maxScroll = Math.max(0, body.length - rows + 1);
  const from = Math.min(Math.max(0, scroll), maxScroll);
  const above = from > 0 ? [line(`↑ ${from} more line${from === 1 ? '' : 's'} above (PgUp)`, { dim: true })] : [];
  let room = rows - above.length;
  let below = body.length - from - room;
  if (below > 0) {
    room -= 1;
    below += 1;
  }
  const shown = body.slice(from, from + Math.max(0, room));
  const more = below > 0 ? [line(`+${below} more line${below === 1 ? '' : 's'} · ${hint}`, { dim: true })] : [];
  return { lines: [...above, ...shown, ...more].slice(0, rows), maxScroll };
}
