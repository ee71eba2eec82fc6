/** Keys whose number is a time in epoch milliseconds: events' and records' `at`, a run's start (`runStartedAt` on a resume or rollback) and end. */
const TIME_KEYS: ReadonlySet<string> = new Set(['at', 'startedAt', 'finishedAt', 'runStartedAt']);

function isoTimes(key: string, value: unknown): unknown {
  return typeof value === 'number' && TIME_KEYS.has(key) && Number.isFinite(value)
    ? new Date(value).toISOString()
    : value;
}

/**
 * JSON as the CLI prints it with `--json`: times (`at`, `startedAt`, `finishedAt`) as ISO 8601 UTC
 * strings with milliseconds (`2026-11-21T08:41:00.000Z`), not epoch numbers. One line unless `indent`.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, isoTimes, indent);
}
