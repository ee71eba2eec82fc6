import type { ApiCall } from '../domain/types.js';

/** The AWS CLI's name for each service hotspare calls (`s3` is `s3api` for the API's own operations). */
const CLI_SERVICE: Readonly<Partial<Record<ApiCall['service'], string>>> = {
  elbv2: 'elbv2',
  ec2: 'ec2',
  route53: 'route53',
  autoscaling: 'autoscaling',
  s3: 's3api',
  ssm: 'ssm',
};

/** `TerminateInstances` -> `terminate-instances`. */
function kebab(operation: string): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** A word as the shell reads it back: single-quoted. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A change an operator can make by hand, as an `aws` command line (`--cli-input-json` takes the
 * API's own parameters); undefined for a read, or a call the AWS CLI does not make (an HTTP probe).
 */
export function awsCommand(call: ApiCall): string | undefined {
  const service = CLI_SERVICE[call.service];
  if (service === undefined || /^(Describe|Get|List)/.test(call.operation)) return undefined;
  return `aws ${service} ${kebab(call.operation)} --cli-input-json ${quoted(JSON.stringify(call.params))}`;
}
