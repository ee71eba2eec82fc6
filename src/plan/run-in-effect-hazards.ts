import type { RunEnvironment } from '../domain/types.js';
import { strayDanger } from './hotspare-targets.js';
import type { Hazard } from './types.js';

/**
 * A plan is for a new failover: any instance in the target group that carries hotspare's tags (a
 * redirect instance or a spare, whoever's run it is) is a danger. It takes a share of the visitors
 * away from the web servers now, and a failover is refused while it is there.
 */
export function runInEffectHazards(env: RunEnvironment): Hazard[] {
  const tagged = env.hotspareTargets ?? [];
  const registered = env.webTargets.length + tagged.length;
  const message = strayDanger(tagged, registered, env.targetGroup.arn);
  return message === undefined
    ? []
    : [{ code: 'run-in-effect', severity: 'danger', message: `${message} A failover is refused until it is gone.` }];
}
