import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/engine/run-summary.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalIn, openFake, ScriptedOperator, tempDir } from '../helpers/engine.js';

/**
 * `abandon` says what the run left and how to undo it by hand (issue 20, item 8): a step that sent
 * no change is not "still in effect", and each leftover comes with the `aws` commands, real ids in.
 */

describe('abandon', () => {
  it('lists only what the run changed, each with the aws commands that undo it', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const runbook = fakeRunbook([{ type: 'suspend-scaling' }, ...EMERGENCY_STEPS]);
    const operator = new ScriptedOperator((r) => (r.step.id === 'deregister-web' ? 'stop' : 'run'));
    const { session } = await openFake(world, runbook, dir, { operator });
    expect(await session.failover()).toBe('aborted');
    const redirect = [...world.instances.values()].find((i) => i.tags['hotspare:step'] === 'launch-redirect')!;

    expect(await session.abandon()).toBe('abandoned');
    const leftovers = summarize(journalIn(dir)).leftovers ?? [];
    expect(leftovers.map((l) => l.split(':')[0])).toEqual(['register-redirect', 'launch-redirect']);
    expect(leftovers.join('\n')).not.toContain('suspend-scaling');
    const register = leftovers.find((l) => l.startsWith('register-redirect'))!;
    expect(register).toContain(`still in effect`);
    expect(register).toContain(
      `; by hand: aws elbv2 deregister-targets --cli-input-json '{"TargetGroupArn":"${world.tg.arn}","Targets":[{"Id":"${redirect.id}"`,
    );
    const launch = leftovers.find((l) => l.startsWith('launch-redirect'))!;
    expect(launch).toContain(
      `; by hand: aws ec2 terminate-instances --cli-input-json '{"InstanceIds":["${redirect.id}"]}'`,
    );
  });
});
