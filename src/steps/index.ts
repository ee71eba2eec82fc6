import type { StepSpec, StepType } from '../runbook/schema.js';
import { deregisterWeb } from './deregister-web.js';
import { dnsFailover } from './dns-failover.js';
import { launchRedirect } from './launch-redirect.js';
import { setListenerFixedResponse, setListenerRedirect } from './listener.js';
import { manual } from './manual.js';
import { registerRedirect } from './register-redirect.js';
import { suspendScaling } from './suspend-scaling.js';
import type { StepDefinition } from './types.js';
import { verifyMaintenance } from './verify-maintenance.js';
import { waitRedirectHealthy } from './wait-redirect-healthy.js';

const registry: { readonly [T in StepType]: StepDefinition<Extract<StepSpec, { type: T }>> } = {
  'suspend-scaling': suspendScaling,
  'launch-redirect': launchRedirect,
  'register-redirect': registerRedirect,
  'wait-redirect-healthy': waitRedirectHealthy,
  'deregister-web': deregisterWeb,
  'verify-maintenance': verifyMaintenance,
  'set-listener-redirect': setListenerRedirect,
  'set-listener-fixed-response': setListenerFixedResponse,
  'dns-failover': dnsFailover,
  manual,
};

/** The definition of a step type. */
export function stepDefinition(type: StepType): StepDefinition {
  return registry[type] as unknown as StepDefinition;
}
