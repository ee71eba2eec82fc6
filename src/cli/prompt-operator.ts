import { createInterface, type Interface } from 'node:readline';
import type { ConfirmDecision, ConfirmRequest, FailureDecision, FailureRequest, Operator } from '../engine/operator.js';
import type { Write } from './printer.js';

/**
 * The headless operator: asks on `output`, reads answers line by line from `input` (a terminal or
 * a pipe). End of input answers "stop", so an unattended run never guesses.
 */
export function createPromptOperator(input: NodeJS.ReadableStream, write: Write): Operator & { close(): void } {
  const rl: Interface = createInterface({ input, terminal: false });
  const queue: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on('line', (line) => (waiters.length > 0 ? waiters.shift()!(line.trim()) : queue.push(line.trim())));
  rl.on('close', () => {
    closed = true;
    while (waiters.length > 0) waiters.shift()!(undefined);
  });
  const ask = (question: string): Promise<string | undefined> => {
    write(question);
    if (queue.length > 0) return Promise.resolve(queue.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolve) => waiters.push(resolve));
  };
  return {
    confirmStep: (req) => confirm(ask, write, req),
    onFailure: (req) => failure(ask, req),
    close: () => rl.close(),
  };
}

type Ask = (question: string) => Promise<string | undefined>;

async function confirm(ask: Ask, write: Write, req: ConfirmRequest): Promise<ConfirmDecision> {
  const { step } = req;
  write(`\nStep ${req.index + 1}/${req.total}: ${step.title}`);
  for (const c of step.calls) write(`  will call: ${c.service} ${c.operation} ${JSON.stringify(c.params)}`);
  if (req.typeToConfirm !== undefined) {
    for (;;) {
      const answer = await ask(`LIVE: type the runbook name "${req.typeToConfirm}" to run this step (s = skip, q = stop): `);
      if (answer === undefined || answer === 'q') return 'stop';
      if (answer === 's') return 'skip';
      if (answer === req.typeToConfirm) return 'run';
      write('That is not the runbook name.');
    }
  }
  const question = step.type === 'manual' ? 'Done? [y = done, s = skip, q = stop] ' : 'Run it? [y = run, s = skip, q = stop] ';
  for (;;) {
    const answer = (await ask(question))?.toLowerCase();
    if (answer === undefined || answer === 'q' || answer === 'n') return 'stop';
    if (answer === '' || answer === 'y' || answer === 'yes') return 'run';
    if (answer === 's') return 'skip';
  }
}

async function failure(ask: Ask, req: FailureRequest): Promise<FailureDecision> {
  for (;;) {
    const answer = (await ask(`Step ${req.step.id} failed (attempt ${req.attempt}). [r = retry, s = skip, b = roll back, q = stop] `))?.toLowerCase();
    if (answer === undefined || answer === 'q') return 'stop';
    if (answer === 'r') return 'retry';
    if (answer === 's') return 'skip';
    if (answer === 'b') return 'rollback';
  }
}
