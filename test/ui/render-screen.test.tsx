import { expect, it } from 'vitest';
import { runTui } from '../../src/ui/render-screen.js';
import { FakeStdin, FakeStdout, stripAnsi } from '../helpers/ink.js';
import { exitCodeOf } from '../../src/cli/output/exit-codes.js';
import { commandOptions, fakeSession, newStore } from './fixtures.js';

it('renders, runs the command and resolves with the exit code when the operator quits', async () => {
  const store = newStore();
  const session = fakeSession(store, { refuse: true });
  const stdout = new FakeStdout(80, 24);
  const stdin = new FakeStdin();
  const done = runTui({
    store,
    session,
    command: 'failover',
    yes: false,
    commandOptions: commandOptions(),
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
  });
  const deadline = Date.now() + 3000;
  while (!stripAnsi(stdout.frames.join('')).includes('Refused') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(stripAnsi(stdout.frames.join(''))).toContain('Next: Resume it or roll it back first.');
  stdin.write('q');
  expect(exitCodeOf(await done)).toBe(3);
  expect(session.commands).toEqual(['failover']);
});
