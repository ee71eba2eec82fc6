import type { Mode } from '../engine/events.js';
import type { LockInfo } from '../engine/lock.js';

export interface Badge {
  readonly label: string;
  readonly color: string;
}

/** The mode badge: LIVE is red because every key press changes production. */
export function modeBadge(mode: Mode): Badge {
  switch (mode) {
    case 'live':
      return { label: 'LIVE', color: 'red' };
    case 'dry-run':
      return { label: 'DRY-RUN', color: 'yellow' };
    case 'sandbox':
      return { label: 'SANDBOX', color: 'cyan' };
  }
}

/** `user@host (failover)`, or undefined when nobody holds the lock. */
export function lockLabel(holder: LockInfo | undefined): string | undefined {
  return holder === undefined ? undefined : `${holder.user}@${holder.host} (${holder.command})`;
}
