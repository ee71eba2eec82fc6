import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OwnRun } from '../plan/hotspare-targets.js';
import type { EngineEvent } from '../engine/events.js';
import type { LockInfo } from '../engine/lock.js';
import type {
  ConfirmAnswer,
  ConfirmDecision,
  ConfirmRequest,
  FailureDecision,
  FailureRequest,
  RollbackDecision,
  RollbackRequest,
} from '../engine/operator.js';
import type { Plan } from '../plan/types.js';
import { toErrorRecord } from '../domain/errors.js';
import { confirmPrompt, editedName, openedPrompt, rollbackPrompt, withPrompt, type AskOptions } from './prompts.js';
import { reduce } from './reduce.js';
import {
  expectedName,
  initialData,
  namePrompt,
  type AppData,
  type AppInit,
  type Overlay,
  type Prompt,
} from './state.js';

export type PromptDecision = ConfirmDecision | FailureDecision;

/** Actions on the store. The engine only calls `dispatch`; the operator port calls `ask*`. */
export interface AppActions {
  /** The store's clock (the engine's): what log lines written from the UI are stamped with. */
  now(): number;
  /** Fold an engine event into the state (wire the engine's `emit` here). */
  dispatch(event: EngineEvent): void;
  /** Show a plan before any run (the same as a `plan` event). */
  loadPlan(plan: Plan): void;
  /**
   * Put a confirmation in front of the operator; resolves with the answer. With `auto` it resolves
   * `run` at once, unless the operator paused: then it holds until they go on or stop.
   */
  askConfirm(request: ConfirmRequest, options?: AskOptions): Promise<ConfirmAnswer>;
  /** Put a failure decision in front of the operator; resolves with the answer. */
  askFailure(request: FailureRequest): Promise<FailureDecision>;
  /** Ask before a rollback (live mode: with the runbook's name to type); resolves with the answer. */
  askRollback(request: RollbackRequest): Promise<RollbackDecision>;
  /**
   * Answer the pending prompt. Returns false (and leaves the prompt up) when the decision does not fit
   * the prompt, or when a typed-name prompt is answered `run` without the exact runbook name (the
   * typed text by default).
   */
  answerPrompt(decision: PromptDecision, typed?: string): boolean;
  /**
   * Edit the text being typed: the runbook-name prompt's, or while a live command is starting the
   * early text that will pre-fill it. Elsewhere it does nothing.
   */
  editTyped(edit: (text: string) => string): void;
  /** Enter on the runbook-name prompt: runs the step with the exact name, else marks the text rejected. */
  submitTypedName(): boolean;
  /** Tab: the panel fills the screen, or goes back. */
  toggleExpanded(): void;
  /** Scroll the panel by `delta` rows, within 0..`max`. */
  scrollDetail(delta: number, max: number): void;
  setLockHolder(holder: LockInfo | undefined): void;
  /** What the journal's unfinished run accounts for in AWS (see `AppData.ownRun`). */
  setOwnRun(own: OwnRun): void;
  /** Move the step selection by `delta` (clamped). */
  selectStep(delta: number): void;
  /** Scroll the target table by `delta` rows (clamped to the list). */
  scrollTargets(delta: number, visibleRows: number): void;
  setOverlay(overlay: Overlay): void;
  /** Hold the run at the next confirmation; toggles. On a held run, goes on. */
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
    case 'paused':
      return decision === 'stop';
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
  const now = init.now ?? Date.now;
  let pending: Pending | undefined;
  let nextId = 1;
  return createStore<AppState>()((set, get) => {
    const ask = <D extends PromptDecision>(make: (id: number) => Prompt): Promise<D> => {
      pending?.resolve('stop');
      const id = nextId++;
      const prompt = make(id);
      return new Promise<D>((resolve) => {
        pending = { id, resolve: resolve as (d: PromptDecision) => void };
        set((s) => withPrompt(s, prompt, now()));
      });
    };
    const settle = (decision: PromptDecision): void => {
      const resolve = pending?.resolve;
      pending = undefined;
      set((s) => ({ prompt: undefined, ui: { ...s.ui, detailScroll: 0 } }));
      resolve?.(decision);
    };
    return {
      ...initialData(init),
      now,
      dispatch: (event) => set((s) => reduce(s, event)),
      loadPlan: (plan) =>
        set((s) => reduce(s, { type: 'plan', steps: plan.steps, hazards: plan.hazards, strategies: plan.strategies })),
      askConfirm: (request, options = {}) => {
        if (options.auto === true && !get().ui.pauseRequested) return Promise.resolve('unattended');
        return ask<ConfirmDecision>((id) => confirmPrompt(get(), id, request, options));
      },
      askFailure: (request) => ask<FailureDecision>((id) => ({ kind: 'failure', id, request })),
      askRollback: (request) => ask<RollbackDecision>((id) => rollbackPrompt(get(), id, request)),
      answerPrompt: (decision, typed) => {
        const prompt = get().prompt;
        if (prompt === undefined || pending === undefined || pending.id !== prompt.id) return false;
        if (!fitsPrompt(prompt, decision)) return false;
        const expected = expectedName(prompt);
        if (expected !== undefined && decision === 'run' && (typed ?? namePrompt(prompt)?.typed) !== expected)
          return false;
        settle(decision);
        return true;
      },
      editTyped: (edit) =>
        set((s) => {
          const named = namePrompt(s.prompt);
          if (named !== undefined && s.prompt !== undefined) return { prompt: editedName(s.prompt, edit(named.typed)) };
          if (s.ui.starting && s.mode === 'live') return { ui: { ...s.ui, typeahead: edit(s.ui.typeahead) } };
          return {};
        }),
      submitTypedName: () => {
        const prompt = get().prompt;
        if (prompt === undefined || namePrompt(prompt) === undefined) return false;
        if (get().answerPrompt('run')) return true;
        set({ prompt: { ...prompt, rejected: true, early: false } as Prompt });
        return false;
      },
      toggleExpanded: () => set((s) => ({ ui: { ...s.ui, expanded: !s.ui.expanded, detailScroll: 0 } })),
      scrollDetail: (delta, max) =>
        set((s) => ({ ui: { ...s.ui, detailScroll: Math.max(0, Math.min(max, s.ui.detailScroll + delta)) } })),
      setLockHolder: (holder) => set({ lockHolder: holder }),
      setOwnRun: (own) => set({ ownRun: own }),
      selectStep: (delta) =>
        set((s) => ({ ui: { ...s.ui, selectedStepId: moveSelection(s, delta), detailScroll: 0 } })),
      scrollTargets: (delta, visibleRows) =>
        set((s) => {
          const max = Math.max(0, s.dashboard.targets.length - visibleRows);
          return { ui: { ...s.ui, targetOffset: Math.min(max, Math.max(0, s.ui.targetOffset + delta)) } };
        }),
      setOverlay: (overlay) => set((s) => ({ ui: { ...s.ui, overlay } })),
      togglePause: () => {
        const prompt = get().prompt;
        if (prompt?.kind !== 'paused') return set((s) => ({ ui: { ...s.ui, pauseRequested: !s.ui.pauseRequested } }));
        get().dispatch({
          type: 'log',
          level: 'info',
          message: `Going on with step ${prompt.request.index + 1}/${prompt.request.total}.`,
          at: now(),
        });
        if (prompt.auto) return settle('run');
        set((s) => ({ prompt: openedPrompt(s, prompt.id, prompt.request) }));
      },
      setBusy: (busy) => {
        const early = get().ui.typeahead;
        if (!busy && early !== '')
          get().dispatch({
            type: 'log',
            level: 'warn',
            message: `Keys typed while the command was starting were not used ("${early}").`,
            at: now(),
          });
        set((s) => ({ ui: { ...s.ui, busy, starting: busy, typeahead: '' } }));
      },
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
