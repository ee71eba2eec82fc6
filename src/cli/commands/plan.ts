import { ALWAYS, AWS, booleanFlag, json, SANDBOX_WORLD } from '../args/flags.js';
import { defineCommand, type FlagValues } from '../args/tree.js';
import type { Io } from '../output/io.js';
import { jsonText } from '../output/json-out.js';

const discover = booleanFlag(
  'discover',
  'read the account (target group, health checks, web servers) instead of assuming the ALB defaults',
);
const flags = { discover, json, ...AWS, ...SANDBOX_WORLD, ...ALWAYS };
type PlanFlags = FlagValues<typeof flags>;

function wantsDiscovery(opts: PlanFlags, env: NodeJS.ProcessEnv): boolean {
  return (
    opts.discover ||
    opts.sandbox ||
    opts.endpointUrl !== undefined ||
    opts.profile !== undefined ||
    env['AWS_ENDPOINT_URL'] !== undefined
  );
}

/** `hotspare plan RUNBOOK`: steps, calls, undo, hazards, strategies. Reads the account only when asked. */
async function planCommand(file: string | undefined, opts: PlanFlags, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [{ assumedEnvironment, discoverEnvironment }, { buildPlan }, { planText }] = await Promise.all([
    import('../../plan/environment.js'),
    import('../../plan/build.js'),
    import('../output/plan-text.js'),
  ]);
  if (wantsDiscovery(opts, env) || file === undefined) {
    const ctx = await (await import('../session/context.js')).openContext(opts, env, file);
    try {
      const environment = await discoverEnvironment(ctx.runbook, ctx.ports, { maintenanceSite: true });
      const plan = buildPlan(ctx.runbook, environment);
      io.out(opts.json ? jsonText({ plan, environment }) : planText(plan, environment));
    } finally {
      await ctx.close();
    }
    return 0;
  }
  const { runbook } = await (await import('../../runbook/load.js')).loadRunbook(file);
  const environment = assumedEnvironment(runbook);
  const plan = buildPlan(runbook, environment);
  io.out(opts.json ? jsonText({ plan, environment }) : planText(plan, environment));
  return 0;
}

export const plan = defineCommand({
  name: 'plan',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'steps, the exact API calls, undo, hazards, strategy comparison',
  details:
    'Prints each step with the exact API calls it will make and how rollback reverses it, the hazards (zero-healthy-target windows with their expected length, steps without undo) and a comparison of strategies. Reads the account with --discover, --sandbox, --endpoint-url or --profile; otherwise assumes the ALB defaults.',
  flags,
  run: ({ args, flags, io, env }) => planCommand(args[0], flags, io, env),
});
