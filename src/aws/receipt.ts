import type { CallReceipt } from '../ports/index.js';

/** The journal receipt of an SDK output: its request id when the service sent one. */
export function receiptOf(output: {
  readonly $metadata?: { readonly requestId?: string | undefined } | undefined;
}): CallReceipt {
  const requestId = output.$metadata?.requestId;
  return requestId === undefined ? {} : { requestId };
}
