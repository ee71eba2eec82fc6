import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineEvent } from '../engine/events.js';
import type { LockInfo } from '../engine/lock.js';
import type { ConfirmDecision, ConfirmRequest, FailureDecision, FailureRequest, RollbackDecision, RollbackRequest } from '../engine/operator.js';
import type { Plan } from '../plan/types.js';
import { toErrorRecord } from '../ports/errors.js';
import { reduce } from './reduce.js';
import { expectedName, initialData, type AppData, type AppInit, type Overlay, type Prompt } from './state.js';

export type PromptDecision = ConfirmDecision | FailureDecision;

/** Actions on the store. The engine only calls `dispatch`; the operator port calls `ask*`. */
export interface AppActions {
  /** Fold an engine event into the state (wire the engine's `emit` here). */
  dispatch(event: EngineEvent): void;
  /** Show a plan before any run (the same as a `plan` event). */
  loadPlan(plan: Plan): void;
  /** Put a confirmation in front of the operator; resolves with the answer. */
  askConfirm(request: ConfirmRequest): Promise<ConfirmDecision>;
  /** Put a failure decision in front of the operator; resolves with the answer. */
  askFailure(request: FailureRequest): Promise<FailureDecision>;
  /** Ask before a rollback (live mode: with the runbook's name to type); resolves with the answer. */
  askRollback(request: RollbackRequest): Promise<RollbackDecision>;
  /**
   * Answer the pending prompt. Returns false (and leaves the prompt up) when the decision does not fit
   * the prompt, or when a typed-name prompt is answered `run` without the exact runbook name.
   */
  answerPrompt(decision: PromptDecision, typed?: string): boolean;
  setLockHolder(holder: LockInfo | undefined): void;
  /** Move the step selection by `delta` (clamped). */
  selectStep(delta: number): void;
  /** Scroll the target table by `delta` rows (clamped to the list). */
  scrollTargets(delta: number, visibleRows: number): void;
  setOverlay(overlay: Overlay): void;
  /** Stop at the next confirmation (answered `stop`); toggles. */
  togglePause(): void;
  setBusy(busy: boolean): void;
  /** Show an error a command threw as a banner (stack only for bugs); undefined clears it. */
  showError(error: unknown): void;
  clearError(): void;
}

export type AppState = AppData & AppActions;
export type AppStore = StoreApi<AppState>;

interface Pending {
  readonly id: number;
  readonly resolve: (decision: PromptDecision) => void;
}

/** Whether `decision` is an allowed answer to a prompt of this kind. */
export function fitsPrompt(prompt: Prompt, decision: PromptDecision): boolean {
  switch (prompt.kind) {
    case 'confirm':
    case 'typed-name':
      return decision === 'run' || decision === 'skip' || decision === 'stop';
    case 'failure':
      return decision === 'retry' || decision === 'skip' || decision === 'rollback' || decision === 'stop';
    case 'rollback':
      return decision === 'run' || decision === 'stop';
  }
}

/**
 * A fresh store for one terminal session. State is plain data folded by the pure `reduce`; the
 * functions that resolve pending prompts live in this closure, not in the state.
 */
export function createAppStore(init: AppInit): AppStore {
  let pending: Pending | undefined;
  let nextId = 1;
  return createStore<AppState>()((set, get) => {
    const ask = <D extends PromptDecision>(make: (id: number) => Prompt): Promise<D> => {
      pending?.resolve('stop');
      const id = nextId++;
      const prompt = make(id);
      if (get().ui.pauseRequested && (prompt.kind === 'confirm' || prompt.kind === 'typed-name')) {
        set((s) => ({ ui: { ...s.ui, pauseRequested: false } }));
        get().dispatch({ type: 'log', level: 'info', message: 'Paused: the run stops here and stays resumable (r).', at: Date.now() });
        return Promise.resolve('stop' as D);
      }
      return new Promise<D>((resolve) => {
        pending = { id, resolve: resolve as (d: PromptDecision) => void };
        set({ prompt });
      });
    };
    return {
      ...initialData(init),
      dispatch: (event) => set((s) => reduce(s, event)),
      loadPlan: (plan) => set((s) => reduce(s, { type: 'plan', steps: plan.steps, hazards: plan.hazards, strategies: plan.strategies })),
      askConfirm: (request) =>
        ask<ConfirmDecision>((id) =>
          request.typeToConfirm === undefined
            ? { kind: 'confirm', id, request }
            : { kind: 'typed-name', id, request, expected: request.typeToConfirm },
        ),
      askFailure: (request) => ask<FailureDecision>((id) => ({ kind: 'failure', id, request })),
      askRollback: (request) => ask<RollbackDecision>((id) => ({ kind: 'rollback', id, request, expected: request.typeToConfirm })),
      answerPrompt: (decision, typed) => {
        const prompt = get().prompt;
        if (prompt === undefined || pending === undefined || pending.id !== prompt.id) return false;
        if (!fitsPrompt(prompt, decision)) return false;
        const expected = expectedName(prompt);
        if (expected !== undefined && decision === 'run' && typed !== expected) return false;
        const { resolve } = pending;
        pending = undefined;
        set({ prompt: undefined });
        resolve(decision);
        return true;
      },
      setLockHolder: (holder) => set({ lockHolder: holder }),
      selectStep: (delta) => set((s) => ({ ui: { ...s.ui, selectedStepId: moveSelection(s, delta) } })),
      scrollTargets: (delta, visibleRows) =>
        set((s) => {
          const max = Math.max(0, s.dashboard.targets.length - visibleRows);
          return { ui: { ...s.ui, targetOffset: Math.min(max, Math.max(0, s.ui.targetOffset + delta)) } };
        }),
      setOverlay: (overlay) => set((s) => ({ ui: { ...s.ui, overlay } })),
      togglePause: () => set((s) => ({ ui: { ...s.ui, pauseRequested: !s.ui.pauseRequested } })),
      setBusy: (busy) => set((s) => ({ ui: { ...s.ui, busy } })),
      showError: (error) =>
        set((s) => {
          const record = toErrorRecord(error);
          const stack = record.kind === 'bug' && error instanceof Error ? error.stack : undefined;
          return { ui: { ...s.ui, error: { error: record, stack } } };
        }),
      clearError: () => set((s) => ({ ui: { ...s.ui, error: undefined } })),
    };
  });
}

/** The step id `delta` rows from the selection (or from the running step when nothing is selected). */
export function moveSelection(state: AppData, delta: number): string | undefined {
  const steps = state.run.steps;
  if (steps.length === 0) return undefined;
  const current = selectedIndex(state);
  const index = Math.min(steps.length - 1, Math.max(0, current + delta));
  return steps[index]?.id;
}

/** Index of the selected step: the explicit selection, else the running or pending-prompt step, else 0. */
export function selectedIndex(state: AppData): number {
  const steps = state.run.steps;
  const explicit = steps.findIndex((s) => s.id === state.ui.selectedStepId);
  if (explicit >= 0) return explicit;
  const promptStep = state.prompt?.kind === 'rollback' ? undefined : state.prompt?.request.step.id;
  const active = steps.findIndex((s) => s.id === promptStep || s.state === 'running');
  return Math.max(0, active);
}
