/**
 * Whether to write colour: never when `NO_COLOR` is set to a non-empty value (https://no-color.org),
 * and only to a terminal.
 */
export function colorEnabled(env: NodeJS.ProcessEnv, stream: { readonly isTTY?: boolean | undefined }): boolean {
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}
