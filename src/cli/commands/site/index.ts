import { help, json, sandbox } from '../../args/flags.js';
import { defineGroup } from '../../args/tree.js';
import { check } from './check.js';
import { provision } from './provision.js';
import { publish } from './publish.js';
import { refresh } from './refresh.js';
import { snapshot } from './snapshot.js';

/** `hotspare site COMMAND`: the maintenance site, a static copy of the live site on S3. */
export const site = defineGroup({
  name: 'site',
  summary: 'the maintenance site: snapshot, check, publish, refresh, provision',
  details:
    "The maintenance site: a static copy of the live site on S3, checked and kept fresh. Every command takes --json (one JSON report on stdout) and --sandbox (the sandbox's shop and simulated bucket; URLs on the runbook's hosts go to the local servers).",
  children: [snapshot, check, publish, refresh, provision],
  flags: { help, json, sandbox },
  exitCodes:
    'Exit codes: 0 done; 1 broken or failed; 2 usage error; 4 published, but visitors cannot reach it (publish, refresh: a BLOCKING finding).',
});
