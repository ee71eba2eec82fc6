import type { Mode, RunOutcome, StepState, TrafficPoint } from '../engine/events.js';
import type { LockInfo } from '../engine/lock.js';
import type { ConfirmRequest, FailureRequest, RollbackRequest } from '../engine/operator.js';
import type { ErrorRecord } from '../domain/errors.js';
import type { InstanceInfo, ListenerInfo, ProbeResult, TargetHealth } from '../ports/index.js';
import type { SiteReadiness } from '../ports/site.js';
import type { Hazard, StrategySummary } from '../plan/types.js';
import type { OwnRun } from '../plan/hotspare-targets.js';
import type { StepType } from '../runbook/schema.js';
import type { ApiCall, RunEnvironment, StepOutputs } from '../domain/types.js';

/** How many probe results each probe keeps for its sparkline. */
export const PROBE_HISTORY = 30;
/** How many per-second traffic samples are kept. */
export const TRAFFIC_HISTORY = 60;
/** How many event-log lines are kept. */
export const LOG_LIMIT = 200;

export type ProbeName = 'site' | 'maintenance';

/** What the monitor last saw of the load balancer and the two sites. */
export interface DashboardState {
  readonly targets: readonly TargetHealth[];
  /** Instances by id (Name tag, state). */
  readonly instances: Readonly<Record<string, InstanceInfo>>;
  readonly listener?: ListenerInfo | undefined;
  readonly probes: Readonly<Record<ProbeName, readonly ProbeResult[]>>;
  readonly traffic: readonly TrafficPoint[];
  readonly trafficTotals?: { readonly total: number; readonly failed: number } | undefined;
  /** The published maintenance site's age and state, from its manifest (with the maintenance probe). */
  readonly maintenanceSite?: SiteReadiness | undefined;
  /** Epoch ms of the last `targets` event; undefined before the first. */
  readonly updatedAt?: number | undefined;
}

/** One API call as planned, sent or refused. */
export interface CallView {
  readonly call: ApiCall;
  readonly phase: 'intent' | 'result' | 'failed' | 'dry-run';
  readonly requestId?: string | undefined;
  readonly error?: ErrorRecord | undefined;
  readonly at: number;
}

/** One step as the operator sees it. */
export interface StepView {
  readonly id: string;
  readonly type: StepType;
  readonly title: string;
  readonly mutating: boolean;
  /** Exact calls the plan will make. */
  readonly planned: readonly ApiCall[];
  readonly expectedSeconds: number;
  readonly state: StepState;
  readonly attempt: number;
  readonly startedAt?: number | undefined;
  readonly finishedAt?: number | undefined;
  readonly progress?: string | undefined;
  readonly calls: readonly CallView[];
  readonly error?: ErrorRecord | undefined;
  readonly verification?: { readonly holds: boolean; readonly detail: string } | undefined;
  /** What the step produced (journaled with its end), e.g. the instance it launched or started. */
  readonly outputs?: StepOutputs | undefined;
}

/**
 * What the dashboard's view of the current run is doing (not the journaled phase of a run, which is
 * `engine/run-summary.ts`'s `RunPhase`).
 */
export type RunViewPhase = 'idle' | 'running' | 'rolling-back' | 'finished';

export interface RunState {
  readonly runId?: string | undefined;
  readonly startedAt?: number | undefined;
  readonly finishedAt?: number | undefined;
  readonly resumed: boolean;
  readonly phase: RunViewPhase;
  readonly steps: readonly StepView[];
  readonly hazards: readonly Hazard[];
  readonly strategies: readonly StrategySummary[];
  readonly outcome?: RunOutcome | undefined;
  /** What could not be undone, from `run-finished`. */
  readonly failures: readonly string[];
  /** Manual steps nobody did (`--yes`), by their text, from `run-finished`. */
  readonly notDone?: readonly string[] | undefined;
  readonly lastError?: ErrorRecord | undefined;
  readonly env?: RunEnvironment | undefined;
}

export interface LogLine {
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

/** The runbook's name typed to confirm a change to production, as far as it has been typed. */
export interface NameEntry {
  readonly expected: string;
  /** What the operator has typed so far. */
  readonly typed: string;
  /** Enter was pressed on a name that is not the runbook's. */
  readonly rejected: boolean;
  /** `typed` was typed before the prompt appeared (it is shown, never submitted for the operator). */
  readonly early: boolean;
}

/** The runbook-name prompt before the first change to production. */
export interface TypedNamePrompt extends NameEntry {
  readonly kind: 'typed-name';
  readonly id: number;
  readonly request: ConfirmRequest;
}

/** Before a rollback: what will be undone and the web servers' health; live mode: the name to type. */
export interface RollbackPrompt extends Omit<NameEntry, 'expected'> {
  readonly kind: 'rollback';
  readonly id: number;
  readonly request: RollbackRequest;
  readonly expected?: string | undefined;
}

/** A prompt that takes the runbook's name (its text takes every printable key). */
export type NamePrompt = TypedNamePrompt | (RollbackPrompt & { readonly expected: string });

/** The prompt as a name prompt, if it asks for the runbook's name to be typed. */
export function namePrompt(prompt: Prompt | undefined): NamePrompt | undefined {
  if (prompt?.kind === 'typed-name') return prompt;
  return prompt?.kind === 'rollback' && prompt.expected !== undefined
    ? { ...prompt, expected: prompt.expected }
    : undefined;
}

/** Whether the prompt asks for the runbook's name to be typed. */
export function needsTypedName(prompt: Prompt | undefined): boolean {
  return namePrompt(prompt) !== undefined;
}

/** The name a prompt asks to type, if it asks for one. */
export function expectedName(prompt: Prompt): string | undefined {
  return namePrompt(prompt)?.expected;
}

/** A question the engine is waiting on. */
export type Prompt =
  | { readonly kind: 'confirm'; readonly id: number; readonly request: ConfirmRequest }
  | TypedNamePrompt
  | { readonly kind: 'failure'; readonly id: number; readonly request: FailureRequest }
  | RollbackPrompt
  /**
   * The operator paused (p): the run holds before this step, nothing ended. Going on shows the
   * step's confirmation, or runs it at once when confirmations are automatic (`--yes`).
   */
  | { readonly kind: 'paused'; readonly id: number; readonly request: ConfirmRequest; readonly auto: boolean };

export type PromptKind = Prompt['kind'];

/** Overlays that take the keyboard. */
export type Overlay = 'none' | 'help' | 'quit' | 'offer';

/** An error a command threw (not a step failure), shown as a banner. */
export interface ErrorBanner {
  readonly error: ErrorRecord;
  /** Only for kind 'bug'. */
  readonly stack?: string | undefined;
}

/** State that belongs to the terminal, not the engine. */
export interface UiState {
  readonly selectedStepId?: string | undefined;
  readonly overlay: Overlay;
  /** Stop at the next confirmation (p). */
  readonly pauseRequested: boolean;
  /** A session command is running. */
  readonly busy: boolean;
  /**
   * A command was started and has not yet asked anything or started a step (the engine's preflight
   * reads). In live mode, text typed now is kept for the runbook-name prompt.
   */
  readonly starting: boolean;
  /** Text typed while starting in live mode; it pre-fills the runbook-name prompt. */
  readonly typeahead: string;
  /** The panel (step detail or prompt) fills the screen (Tab). */
  readonly expanded: boolean;
  /** First row of the panel's scrolling part shown (PgUp/PgDn). */
  readonly detailScroll: number;
  readonly error?: ErrorBanner | undefined;
  /** First target row shown (the table windows long lists). */
  readonly targetOffset: number;
}

/** The real command line for each placeholder command (`hotspare resume RUNBOOK`) messages carry. */
export type NextCommands = Readonly<Partial<Record<'resume' | 'rollback' | 'abandon' | 'status', string>>>;

/** Everything the reducer folds events into: plain data, no functions. */
export interface AppData {
  readonly runbook: string;
  readonly mode: Mode;
  readonly region: string;
  readonly account?: string | undefined;
  readonly dashboard: DashboardState;
  readonly run: RunState;
  readonly log: readonly LogLine[];
  readonly prompt?: Prompt | undefined;
  readonly lockHolder?: LockInfo | undefined;
  /**
   * What the journal's latest run, while not over, accounts for in AWS (its run id and the instances
   * it journaled): the dashboard calls any other hotspare-tagged target a danger.
   */
  readonly ownRun?: OwnRun | undefined;
  /** Draw in colour (false with NO_COLOR). */
  readonly color: boolean;
  /** What happens to a run left unfinished by quitting, with the commands to paste (from the CLI). */
  readonly quitHint?: string | undefined;
  /** The same for a rollback left unfinished (run it again); the CLI prints the same words after the quit. */
  readonly rollbackQuitHint?: string | undefined;
  /** The command lines that act on this run (`hotspare resume runbooks/x.yaml --journal-dir D`), for the placeholders in messages. */
  readonly nextCommands?: NextCommands | undefined;
  readonly ui: UiState;
}

/** What `createAppStore` needs to know before anything happens. */
export interface AppInit {
  readonly runbook: string;
  readonly mode: Mode;
  readonly region: string;
  readonly account?: string | undefined;
  /** Draw in colour (false with NO_COLOR); default true. */
  readonly color?: boolean | undefined;
  /** What happens to a run left unfinished by quitting, with the commands to paste. */
  readonly quitHint?: string | undefined;
  readonly rollbackQuitHint?: string | undefined;
  readonly nextCommands?: NextCommands | undefined;
  /** The clock log lines and prompts are stamped with (the engine's, so they agree); default the system clock. */
  readonly now?: (() => number) | undefined;
}

export function initialData(init: AppInit): AppData {
  return {
    runbook: init.runbook,
    mode: init.mode,
    region: init.region,
    account: init.account,
    dashboard: { targets: [], instances: {}, probes: { site: [], maintenance: [] }, traffic: [] },
    run: { resumed: false, phase: 'idle', steps: [], hazards: [], strategies: [], failures: [] },
    log: [],
    color: init.color ?? true,
    quitHint: init.quitHint,
    rollbackQuitHint: init.rollbackQuitHint,
    nextCommands: init.nextCommands,
    ui: {
      overlay: 'none',
      pauseRequested: false,
      busy: false,
      starting: false,
      typeahead: '',
      expanded: false,
      detailScroll: 0,
      targetOffset: 0,
    },
  };
}
