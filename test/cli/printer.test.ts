import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../src/cli/color.js';
import { createPrinter } from '../../src/cli/printer.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { RUN_INSTANCES } from '../ui/fixtures.js';

function print(events: readonly EngineEvent[], color = false): string[] {
  const lines: string[] = [];
  const printer = createPrinter((l) => lines.push(l), { json: false, color });
  for (const e of events) printer(e);
  return lines;
}

const call: EngineEvent = { type: 'call', stepId: 'launch-redirect', phase: 'intent', call: RUN_INSTANCES, at: 1 };
const done: EngineEvent = { type: 'step-succeeded', stepId: 'launch-redirect', outputs: {}, at: 2 };

describe('headless printer', () => {
  it('prints every API call in full', () => {
    const [line] = print([call]);
    expect(line).toContain(`ec2 RunInstances ${JSON.stringify(RUN_INSTANCES.params)}`);
    expect(line).not.toContain('...');
  });

  it('colours marks only when asked, and never JSON', () => {
    expect(print([done]).join('')).not.toContain('\u001B[');
    expect(print([done], true)[0]).toBe('\u001B[32m✓ launch-redirect\u001B[39m');
    const json: string[] = [];
    createPrinter((l) => json.push(l), { json: true, color: true })(done);
    expect(json[0]).toBe(JSON.stringify(done));
  });
});

describe('colorEnabled', () => {
  it('is off with NO_COLOR set to anything non-empty, and off without a terminal', () => {
    expect(colorEnabled({}, { isTTY: true })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' }, { isTTY: true })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, { isTTY: true })).toBe(true);
    expect(colorEnabled({}, { isTTY: false })).toBe(false);
  });
});
