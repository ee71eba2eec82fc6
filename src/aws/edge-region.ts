/**
 * CloudFront takes certificates from ACM in us-east-1 only, and is itself signed for us-east-1:
 * both clients are made for that region whatever the runbook's (the rest of the configuration,
 * profile and endpoint included, is shared).
 */
export const EDGE_REGION = 'us-east-1';
