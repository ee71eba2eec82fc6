import { describe, expect, it } from 'vitest';
import type { ConfirmRequest, FailureRequest } from '../../src/engine/operator.js';
import { RefusedError } from '../../src/ports/errors.js';
import { createStoreOperator } from '../../src/store/store-operator.js';
import { newStore, PLAN, RUNBOOK, targets } from '../ui/fixtures.js';

const step = PLAN.steps[0]!;
const confirm: ConfirmRequest = { step, index: 0, total: 4 };
const failure: FailureRequest = { step, attempt: 1, error: { name: 'E', kind: 'external', code: 'X', message: 'no', retryable: true } };

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

  it('pause answers the next confirmation with stop and logs it', async () => {
    const store = newStore();
    store.getState().togglePause();
    await expect(createStoreOperator(store).confirmStep(confirm)).resolves.toBe('stop');
    expect(store.getState().ui.pauseRequested).toBe(false);
    expect(store.getState().prompt).toBeUndefined();
    expect(store.getState().log.at(-1)?.message).toContain('Paused');
  });

  it('autoConfirm runs without asking (typed name included) until paused; autoFailure answers failures', async () => {
    const store = newStore('live');
    const operator = createStoreOperator(store, { autoConfirm: true, autoFailure: 'stop' });
    await expect(operator.confirmStep({ ...confirm, typeToConfirm: RUNBOOK })).resolves.toBe('run');
    await expect(operator.onFailure(failure)).resolves.toBe('stop');
    store.getState().togglePause();
    await expect(operator.confirmStep(confirm)).resolves.toBe('stop');
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
    store.getState().showError(new RefusedError('locked', { nextSteps: 'ask' }));
    expect(store.getState().ui.error).toEqual({ error: expect.objectContaining({ kind: 'refused', nextSteps: 'ask' }), stack: undefined });
    store.getState().showError(new TypeError('oops'));
    expect(store.getState().ui.error?.error.kind).toBe('bug');
    expect(store.getState().ui.error?.stack).toContain('TypeError: oops');
    store.getState().clearError();
    expect(store.getState().ui.error).toBeUndefined();
  });
});
