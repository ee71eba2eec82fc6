import { expect, it } from 'vitest';
import { runTui } from '../../src/ui/render-screen.js';
import { FakeStdin, FakeStdout, stripAnsi } from '../helpers/ink.js';
import { exitCodeOf } from '../../src/cli/output/exit-codes.js';
import { commandOptions, fakeSession, newStore } from './fixtures.js';
import { waitUntil } from '../helpers/wait.js';

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
  const shown = await waitUntil(
    () => stripAnsi(stdout.frames.join('')),
    (s) => s.includes('Refused'),
    { what: 'the refusal', timeoutMs: 3000 },
  );
  expect(shown).toContain('Next: Resume it or roll it back first.');
  stdin.write('q');
  expect(exitCodeOf(await done)).toBe(3);
  expect(session.commands).toEqual(['failover']);
});
