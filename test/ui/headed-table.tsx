import type { ReactNode } from 'react';
import { TargetTable } from '../../src/ui/TargetTable.js';
import { useTargetHead } from '../../src/ui/use-target-head.js';

/** The target table with its head, as the App draws it. */
export function HeadedTable({ rows, width }: { readonly rows: number; readonly width: number }): ReactNode {
  const head = useTargetHead(width);
  return <TargetTable rows={rows} width={width} head={head} />;
}
