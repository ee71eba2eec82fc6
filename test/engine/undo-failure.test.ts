import { describe, expect, it } from 'vitest';
import { undoFailure } from '../../src/engine/rollback.js';
import { ExternalError, toErrorRecord } from '../../src/domain/errors.js';

describe("a failed undo always says what to do next, in a rollback's words", () => {
  it('a transient failure (5xx, throttling): run the rollback again, never "retry the step"', () => {
    const record = undoFailure(
      toErrorRecord(
        new ExternalError('AWS TerminateInstances failed: unavailable (Unavailable)', {
          code: 'AwsError',
          awsCode: 'Unavailable',
          retryable: true,
          nextSteps: 'AWS had an internal error; retry the step.',
        }),
      ),
    );
    expect(record.nextSteps).toContain('`hotspare rollback RUNBOOK` again');
    expect(record.nextSteps).not.toContain('retry the step');
  });

  it("an error with no advice at all (not one of hotspare's) gets the rollback command", () => {
    const record = undoFailure(toErrorRecord(new Error('socket hang up')));
    expect(record.nextSteps).toMatch(/^Fix what the message says, then run `hotspare rollback RUNBOOK` again/);
  });

  it('advice of its own is kept, then the command', () => {
    const record = undoFailure(
      toErrorRecord(
        new ExternalError('Access denied', {
          code: 'AccessDenied',
          nextSteps: 'Grant ec2:TerminateInstances to this role',
        }),
      ),
    );
    expect(record.nextSteps).toBe(
      'Grant ec2:TerminateInstances to this role. Then run `hotspare rollback RUNBOOK` again: every undo reads first, so what is undone stays undone.',
    );
  });
});
