import type { ErrorRecord } from '../domain/errors.js';
import type { InstanceInfo, ListenerInfo, ProbeResult, TargetHealth } from '../ports/index.js';
import type { SiteReadiness } from '../ports/site.js';
import type { Hazard, PlannedStep, StrategySummary } from '../plan/types.js';
import type { ApiCall, RunEnvironment, StepOutputs } from '../domain/types.js';

/** How the tool is talking to AWS. */
export type Mode = 'live' | 'dry-run' | 'sandbox';

/** The state of one step as the operator sees it. */
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'rolled-back' | 'undo-failed';

/** How a run (or a rollback) ended. */
export type RunOutcome =
  | 'failed-over' // every failover step done
  | 'failed' // a step failed; the run is journaled and resumable
  | 'aborted' // the operator stopped; journaled and resumable
  | 'rolled-back'
  | 'rollback-incomplete' // some undo failed; see the journal
  | 'abandoned' // closed without a full rollback; what it left is journaled and printed
  | 'declined' // the operator said no to a rollback before anything was undone: nothing changed
  | 'dry-run-complete';

/** Per-second traffic counts from the sandbox's generator. */
export interface TrafficPoint {
  readonly second: number;
  readonly ok: number;
  readonly failed: number;
}

/**
 * Everything the engine (and the dashboard monitor) tells the outside world. The UI and the
 * headless printer only render these; `--json` prints them one per line.
 */
export type EngineEvent =
  /** `runStartedAt`: when the run first started (a resumed one: in an earlier process), for the incident clock. */
  | {
      readonly type: 'run-started';
      readonly runId: string;
      readonly runbook: string;
      readonly mode: Mode;
      readonly at: number;
      readonly resumed: boolean;
      readonly runStartedAt?: number | undefined;
    }
  | {
      readonly type: 'plan';
      readonly steps: readonly PlannedStep[];
      readonly hazards: readonly Hazard[];
      readonly strategies?: readonly StrategySummary[] | undefined;
    }
  | { readonly type: 'environment'; readonly env: RunEnvironment }
  | { readonly type: 'step-started'; readonly stepId: string; readonly attempt: number; readonly at: number }
  | { readonly type: 'step-progress'; readonly stepId: string; readonly message: string; readonly at: number }
  | {
      readonly type: 'call';
      readonly stepId: string;
      readonly phase: 'intent' | 'result' | 'failed' | 'dry-run';
      readonly call: ApiCall;
      readonly requestId?: string | undefined;
      readonly error?: ErrorRecord | undefined;
      readonly at: number;
    }
  | { readonly type: 'step-succeeded'; readonly stepId: string; readonly outputs: StepOutputs; readonly at: number }
  | {
      readonly type: 'step-failed';
      readonly stepId: string;
      readonly attempt: number;
      readonly error: ErrorRecord;
      readonly at: number;
    }
  /** `unattended`: a manual step nobody was asked about (`--yes`), recorded as not done. */
  | {
      readonly type: 'step-skipped';
      readonly stepId: string;
      readonly reason: string;
      readonly at: number;
      readonly unattended?: boolean | undefined;
    }
  | {
      readonly type: 'verification';
      readonly stepId: string;
      readonly holds: boolean;
      readonly detail: string;
      readonly at: number;
    }
  | {
      readonly type: 'rollback-started';
      readonly runId: string;
      readonly at: number;
      readonly runStartedAt?: number | undefined;
    }
  | { readonly type: 'undo-started'; readonly stepId: string; readonly at: number }
  | {
      readonly type: 'undo-succeeded';
      readonly stepId: string;
      readonly detail?: string | undefined;
      readonly at: number;
    }
  | { readonly type: 'undo-skipped'; readonly stepId: string; readonly reason: string; readonly at: number }
  | { readonly type: 'undo-failed'; readonly stepId: string; readonly error: ErrorRecord; readonly at: number }
  /** `notDone`: the manual steps nobody did (unattended), by their text: the operator must do them by hand. */
  | {
      readonly type: 'run-finished';
      readonly runId: string;
      readonly outcome: RunOutcome;
      readonly at: number;
      readonly failures?: readonly string[] | undefined;
      readonly notDone?: readonly string[] | undefined;
    }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string; readonly at: number }
  // Dashboard feed (the monitor), not journaled:
  | {
      readonly type: 'targets';
      readonly targets: readonly TargetHealth[];
      readonly instances: readonly InstanceInfo[];
      readonly listener?: ListenerInfo | undefined;
      readonly at: number;
    }
  | {
      readonly type: 'probe';
      readonly name: 'site' | 'maintenance';
      readonly result: ProbeResult;
      readonly site?: SiteReadiness | undefined;
    }
  | { readonly type: 'traffic'; readonly sample: TrafficPoint }
  | { readonly type: 'traffic-summary'; readonly total: number; readonly failed: number };

export type EventSink = (event: EngineEvent) => void;
