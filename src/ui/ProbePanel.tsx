import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import type { ProbeResult } from '../ports/index.js';
import { useAppStore } from '../store/context.js';
import type { ProbeName } from '../store/state.js';
import {
  colorForProbe,
  probeDetail,
  probeStatus,
  sparkWidth,
  trafficLine,
  trafficSparkWidth,
  trafficTotals,
} from './probe-panel.js';
import { fit } from './text.js';
import { useColor } from './use-color.js';
import { snapshotBadge } from './snapshot-age.js';
import { httpsBadge } from './https-badge.js';
import { probeSparkline } from './sparkline.js';

export interface ProbePanelProps {
  readonly width: number;
}

/** The site and the maintenance site as probed, with recent history; sandbox traffic when there is some. */
export const ProbePanel = memo(function ProbePanel({ width }: ProbePanelProps): ReactNode {
  const site = useAppStore((s) => s.dashboard.probes.site);
  const maintenance = useAppStore((s) => s.dashboard.probes.maintenance);
  const traffic = useAppStore((s) => s.dashboard.traffic);
  const totals = useAppStore((s) => s.dashboard.trafficTotals);
  const readiness = useAppStore((s) => s.dashboard.maintenanceSite);
  const snapshot = withHttps(snapshotBadge(readiness), httpsBadge(readiness, readiness?.at ?? 0));
  const spark = sparkWidth(width, [
    probeDetail(site.at(-1)),
    `${probeDetail(maintenance.at(-1))}  ${snapshot?.text ?? ''}`,
  ]);
  return (
    <Box flexDirection="column">
      <ProbeRow name="site" results={site} spark={spark} />
      <ProbeRow name="maintenance" results={maintenance} spark={spark} badge={snapshot} />
      {traffic.length === 0 && totals === undefined ? null : (
        <TrafficRow samples={traffic} totals={totals} spark={trafficSparkWidth(width, spark, traffic, totals)} />
      )}
    </Box>
  );
});

type Badge = ReturnType<typeof snapshotBadge>;

/** The snapshot's badge, then HTTPS's (its colour wins when HTTPS is what is wrong). */
function withHttps(snapshot: Badge, https: Badge): Badge {
  if (https === undefined || snapshot === undefined) return snapshot ?? https;
  return { text: `${snapshot.text}  ${https.text}`, color: https.color === 'green' ? snapshot.color : https.color };
}

function ProbeRow({
  name,
  results,
  spark,
  badge,
}: {
  readonly name: ProbeName;
  readonly results: readonly ProbeResult[];
  readonly spark: number;
  readonly badge?: Badge;
}): ReactNode {
  const last = results[results.length - 1];
  const paint = useColor();
  const color = paint(colorForProbe(last));
  return (
    <Text wrap="truncate-end">
      <Text bold>{fit(name, 12)}</Text>
      <Text color={color}>{probeStatus(last)}</Text>{' '}
      <Text color={color}>{fit(probeSparkline(results, spark), spark)}</Text> <Text dimColor>{probeDetail(last)}</Text>
      {badge === undefined ? null : <Text color={paint(badge.color)}>{`  ${badge.text}`}</Text>}
    </Text>
  );
}

function TrafficRow({
  samples,
  totals,
  spark,
}: {
  readonly samples: Parameters<typeof trafficLine>[0];
  readonly totals: { readonly total: number; readonly failed: number } | undefined;
  readonly spark: number;
}): ReactNode {
  const t = trafficLine(samples, spark);
  const paint = useColor();
  return (
    <Text wrap="truncate-end">
      <Text bold>{fit('traffic', 12)}</Text>
      <Text color={paint('green')}>
        served {t.ok} {t.okRate}/s
      </Text>{' '}
      <Text color={paint('red')}>
        failed {t.failed} {t.failedRate}/s
      </Text>
      {totals === undefined ? '' : <Text dimColor>{trafficTotals(totals)}</Text>}
    </Text>
  );
}
