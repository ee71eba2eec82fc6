import { createInterface, type Interface } from 'node:readline';
import type {
  ConfirmDecision,
  ConfirmRequest,
  FailureDecision,
  FailureRequest,
  Operator,
  RollbackDecision,
  RollbackRequest,
} from '../../engine/operator.js';
import type { Write } from '../output/printer.js';

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
    confirmRollback: (req) => confirmRollback(ask, write, req),
    close: () => rl.close(),
  };
}

type Ask = (question: string) => Promise<string | undefined>;

async function confirm(ask: Ask, write: Write, req: ConfirmRequest): Promise<ConfirmDecision> {
  const { step } = req;
  const undo = req.phase === 'undo';
  write(`\n${undo ? 'Undo' : 'Step'} ${req.index + 1}/${req.total}: ${step.title}`);
  for (const c of undo ? (step.undo ?? []) : step.calls)
    write(`  will call: ${c.service} ${c.operation} ${JSON.stringify(c.params)}`);
  if (req.typeToConfirm !== undefined) {
    for (;;) {
      const answer = await ask(
        `LIVE: type the runbook name "${req.typeToConfirm}" to run this step (s = skip, q = stop): `,
      );
      if (answer === undefined || answer === 'q') return 'stop';
      if (answer === 's') return 'skip';
      if (answer === req.typeToConfirm) return 'run';
      write('That is not the runbook name.');
    }
  }
  const question = undo
    ? 'Undo it? [y = undo, s = leave it, q = stop the rollback] '
    : step.type === 'manual'
      ? 'Done? [y = done, s = skip, q = stop] '
      : 'Run it? [y = run, s = skip, q = stop] ';
  for (;;) {
    const answer = (await ask(question))?.toLowerCase();
    if (answer === undefined || answer === 'q' || answer === 'n') return 'stop';
    if (answer === '' || answer === 'y' || answer === 'yes') return 'run';
    if (answer === 's') return 'skip';
  }
}

/** Before a rollback: what will be undone and the web servers now; live mode asks for the runbook's name. */
async function confirmRollback(ask: Ask, write: Write, req: RollbackRequest): Promise<RollbackDecision> {
  write(`\nRoll back run ${req.runId}? Traffic goes back to the web servers.`);
  if (req.warning !== undefined) write(`WARNING: ${req.warning}`);
  if (req.webHealth.length === 0) write('  web servers: not registered now (their health shows once they are back)');
  for (const h of req.webHealth) write(`  web ${h.id}: ${h.state}${h.reason ? ` (${h.reason})` : ''}`);
  for (const s of req.steps) {
    write(`  undo ${s.id}: ${s.title}`);
    for (const c of s.undo ?? []) write(`    will call: ${c.service} ${c.operation} ${JSON.stringify(c.params)}`);
  }
  for (;;) {
    const question =
      req.typeToConfirm !== undefined
        ? `LIVE: type the runbook name "${req.typeToConfirm}" to roll back (q = leave everything as it is): `
        : 'Roll back? [y = roll back, q = leave everything as it is] ';
    const answer = await ask(question);
    if (answer === undefined || answer === 'q' || answer === 'n') return 'stop';
    if (
      req.typeToConfirm !== undefined
        ? answer === req.typeToConfirm
        : answer === '' || answer === 'y' || answer === 'yes'
    )
      return 'run';
    if (req.typeToConfirm !== undefined) write('That is not the runbook name.');
  }
}

async function failure(ask: Ask, req: FailureRequest): Promise<FailureDecision> {
  for (;;) {
    const answer = (
      await ask(`Step ${req.step.id} failed (attempt ${req.attempt}). [r = retry, s = skip, b = roll back, q = stop] `)
    )?.toLowerCase();
    if (answer === undefined || answer === 'q') return 'stop';
    if (answer === 'r') return 'retry';
    if (answer === 's') return 'skip';
    if (answer === 'b') return 'rollback';
  }
}
