import { UsageError } from '../../domain/errors.js';
import { ALWAYS, json } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';
import { jsonText } from '../output/json-out.js';

/** `hotspare iam-policy RUNBOOK`: the least-privilege policy document. */
export const iamPolicy = defineCommand({
  name: 'iam-policy',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'the least-privilege IAM policy the runbook needs',
  details: 'Prints the least-privilege IAM policy document the runbook needs (indented; one line with --json).',
  flags: { json, ...ALWAYS },
  run: async ({ args, flags, io }) => {
    const file = args[0];
    if (file === undefined) throw new UsageError('Name a runbook: hotspare iam-policy RUNBOOK', { code: 'MissingRunbook' });
    const { runbook } = await (await import('../../runbook/load.js')).loadRunbook(file);
    const { iamPolicyFor } = await import('../../aws/index.js');
    io.out(jsonText(iamPolicyFor(runbook), flags.json ? undefined : 2));
    return 0;
  },
});
