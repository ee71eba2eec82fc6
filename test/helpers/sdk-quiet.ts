/**
 * Loaded in every vitest worker (vitest configs' `setupFiles`): the workers build AWS SDK clients
 * in-process (fixtures on moto, adapter tests), and on Node 20 the SDK prints its nine-line
 * NodeVersionSupportWarning once per process. The CLI turns it off with the same switch
 * (`cli/account/aws-setup.ts`); `test/cli/node-support.test.ts` checks the CLI does so in a clean
 * environment. Every other warning still prints.
 */
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
