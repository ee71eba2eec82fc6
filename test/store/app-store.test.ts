import { describe, expect, it } from 'vitest';
import type { ConfirmRequest, FailureRequest } from '../../src/engine/operator.js';
import { RefusedError } from '../../src/domain/errors.js';
import { createStoreOperator } from '../../src/store/store-operator.js';
import { newStore, PLAN, RUNBOOK, targets } from '../ui/fixtures.js';

const step = PLAN.steps[0]!;
const confirm: ConfirmRequest = { step, index: 0, total: 4 };
const failure: FailureRequest = {
  step,
  attempt: 1,
  error: { name: 'E', kind: 'external', code: 'Throttling', message: 'no', retryable: true },
};

describe('store operator', () => {
  it('puts a confirmation in the store and resolves with the answer', async () => {
    const store = newStore();
    const answer = createStoreOperator(store).confirmStep(confirm);
    expect(store.getState().prompt).toMatchObject({ kind: 'confirm', request: confirm });
    expect(store.getState().answerPrompt('retry')).toBe(false);
    expect(store.getState().answerPrompt('skip')).toBe(true);
    await expect(answer).resolves.toBe('skip');
    expect(store.getState().prompt).toBeUndefined();
  });

  it('a typed-name prompt only accepts run with the exact runbook name', async () => {
    const store = newStore('live');
    const answer = createStoreOperator(store).confirmStep({ ...confirm, typeToConfirm: RUNBOOK });
    expect(store.getState().prompt?.kind).toBe('typed-name');
    expect(store.getState().answerPrompt('run')).toBe(false);
    expect(store.getState().answerPrompt('run', `${RUNBOOK} `)).toBe(false);
    expect(store.getState().answerPrompt('run', RUNBOOK)).toBe(true);
    await expect(answer).resolves.toBe('run');
  });

  it('a typed-name prompt can always be stopped', async () => {
    const store = newStore('live');
    const answer = createStoreOperator(store).confirmStep({ ...confirm, typeToConfirm: RUNBOOK });
    expect(store.getState().answerPrompt('stop')).toBe(true);
    await expect(answer).resolves.toBe('stop');
  });

  it('asks for a failure decision and only accepts failure answers', async () => {
    const store = newStore();
    const answer = createStoreOperator(store).onFailure(failure);
    expect(store.getState().prompt?.kind).toBe('failure');
    expect(store.getState().answerPrompt('run')).toBe(false);
    expect(store.getState().answerPrompt('rollback')).toBe(true);
    await expect(answer).resolves.toBe('rollback');
  });

  it('pause holds the run at the next confirmation: nothing ends, p goes on to the question', async () => {
    const store = newStore();
    store.getState().togglePause();
    let settled = false;
    const answer = createStoreOperator(store).confirmStep(confirm);
    void answer.then(() => (settled = true));
    expect(store.getState().prompt).toMatchObject({ kind: 'paused', request: confirm, auto: false });
    expect(store.getState().ui.pauseRequested).toBe(false);
    expect(store.getState().log.at(-1)?.message).toContain('Paused before step 1/4');
    expect(store.getState().answerPrompt('run')).toBe(false);
    await Promise.resolve();
    expect(settled).toBe(false);
    store.getState().togglePause();
    expect(store.getState().prompt?.kind).toBe('confirm');
    expect(store.getState().answerPrompt('run')).toBe(true);
    await expect(answer).resolves.toBe('run');
  });

  it('a held run can be stopped there (resumable)', async () => {
    const store = newStore();
    store.getState().togglePause();
    const answer = createStoreOperator(store).confirmStep(confirm);
    expect(store.getState().answerPrompt('stop')).toBe(true);
    await expect(answer).resolves.toBe('stop');
  });

  it('autoConfirm answers unattended without asking (typed name included) until paused; going on runs the held step', async () => {
    const store = newStore('live');
    const operator = createStoreOperator(store, { autoConfirm: true, autoFailure: 'stop' });
    // Nobody was asked: a mutating step runs, a manual step is recorded as not done (engine/runner.ts).
    await expect(operator.confirmStep({ ...confirm, typeToConfirm: RUNBOOK })).resolves.toBe('unattended');
    await expect(operator.onFailure(failure)).resolves.toBe('stop');
    store.getState().togglePause();
    const held = operator.confirmStep({ ...confirm, typeToConfirm: RUNBOOK });
    expect(store.getState().prompt).toMatchObject({ kind: 'paused', auto: true });
    store.getState().togglePause();
    await expect(held).resolves.toBe('run');
    expect(store.getState().prompt).toBeUndefined();
  });

  it('text typed while a live command starts pre-fills the runbook-name prompt; it is never an answer', async () => {
    const store = newStore('live');
    store.getState().setBusy(true);
    store.getState().editTyped(() => RUNBOOK);
    const answer = createStoreOperator(store).confirmStep({ ...confirm, typeToConfirm: RUNBOOK });
    expect(store.getState().prompt).toMatchObject({ kind: 'typed-name', typed: RUNBOOK, early: true });
    expect(store.getState().ui).toMatchObject({ starting: false, typeahead: '' });
    expect(store.getState().submitTypedName()).toBe(true);
    await expect(answer).resolves.toBe('run');
  });

  it('text typed ahead of a plain confirmation is reported unused, and does not answer it', () => {
    const store = newStore('live');
    store.getState().setBusy(true);
    store.getState().editTyped(() => 'y');
    void createStoreOperator(store).confirmStep(confirm);
    expect(store.getState().prompt?.kind).toBe('confirm');
    expect(store.getState().log.at(-1)?.message).toContain('were not used ("y")');
  });

  it('a wrong name is marked rejected until the next edit', () => {
    const store = newStore('live');
    void createStoreOperator(store).confirmStep({ ...confirm, typeToConfirm: RUNBOOK });
    store.getState().editTyped(() => 'shop');
    expect(store.getState().submitTypedName()).toBe(false);
    expect(store.getState().prompt).toMatchObject({ kind: 'typed-name', rejected: true });
    store.getState().editTyped((t) => `${t}-`);
    expect(store.getState().prompt).toMatchObject({ typed: 'shop-', rejected: false });
  });

  it('answering with no prompt pending does nothing', () => {
    expect(newStore().getState().answerPrompt('run')).toBe(false);
  });
});

describe('app store actions', () => {
  it('selects steps within bounds, starting from the first', () => {
    const store = newStore();
    store.getState().loadPlan(PLAN);
    store.getState().selectStep(1);
    expect(store.getState().ui.selectedStepId).toBe('register-redirect');
    store.getState().selectStep(10);
    expect(store.getState().ui.selectedStepId).toBe('verify-maintenance');
    store.getState().selectStep(-10);
    expect(store.getState().ui.selectedStepId).toBe('launch-redirect');
  });

  it('scrolls the target window within the list', () => {
    const store = newStore();
    store.getState().dispatch({ type: 'targets', targets: targets(30), instances: [], at: 1 });
    store.getState().scrollTargets(100, 10);
    expect(store.getState().ui.targetOffset).toBe(20);
    store.getState().scrollTargets(-100, 10);
    expect(store.getState().ui.targetOffset).toBe(0);
  });

  it('shows errors as a banner, with a stack only for bugs', () => {
    const store = newStore();
    store.getState().showError(new RefusedError('locked', { code: 'LockHeld', nextSteps: 'ask' }));
    expect(store.getState().ui.error).toEqual({
      error: expect.objectContaining({ kind: 'refused', nextSteps: 'ask' }),
      stack: undefined,
    });
    store.getState().showError(new TypeError('oops'));
    expect(store.getState().ui.error?.error.kind).toBe('bug');
    expect(store.getState().ui.error?.stack).toContain('TypeError: oops');
    store.getState().clearError();
    expect(store.getState().ui.error).toBeUndefined();
  });
});
