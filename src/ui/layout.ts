/** How the screen is divided at a given terminal size. Pure; every count is in rows. */
export interface Layout {
  readonly width: number;
  readonly twoColumns: boolean;
  /** Width of the dashboard column (targets, probes). */
  readonly leftWidth: number;
  /** Width of the run column (steps, panel); equals `width` in one column. */
  readonly rightWidth: number;
  /** Target rows under the table's summary and header lines. */
  readonly targetRows: number;
  readonly probeRows: number;
  readonly stepRows: number;
  /** The prompt / banner / step-detail panel. */
  readonly panelRows: number;
  readonly logRows: number;
  /** Rows for the help overlay (replaces everything between header and footer). */
  readonly bodyRows: number;
}

/** Wider than this, the dashboard and the run sit side by side. */
export const TWO_COLUMN_WIDTH = 120;
const MIN_ROWS = 20;

/**
 * Splits the terminal. The frame is kept one row shorter than the terminal: Ink redraws the whole
 * screen (and flickers) when its output is as tall as the terminal.
 */
export function layoutFor(columns: number, rows: number, counts: { readonly steps: number; readonly targets: number; readonly traffic: boolean }): Layout {
  const usable = Math.max(rows, MIN_ROWS) - 1;
  const probeRows = counts.traffic ? 3 : 2;
  const bodyRows = usable - 2; // header, footer
  return columns >= TWO_COLUMN_WIDTH ? wide(columns, bodyRows, probeRows, counts) : narrow(columns, bodyRows, probeRows, counts);
}

/** One column: the target table takes what it needs up to its share; the panel gets the rest. */
function narrow(width: number, bodyRows: number, probeRows: number, counts: { readonly steps: number; readonly targets: number }): Layout {
  const tall = bodyRows >= 36;
  const logRows = tall ? 6 : 2;
  const minPanel = tall ? 8 : 5;
  const stepRows = Math.min(Math.max(1, counts.steps), tall ? 12 : 6);
  const available = bodyRows - 2 - probeRows - stepRows - logRows;
  const targetShare = tall ? Math.max(1, Math.floor((available - minPanel) * 0.6)) : Math.max(1, available - minPanel);
  const targetRows = Math.max(1, Math.min(counts.targets, targetShare));
  const panelRows = Math.max(3, available - targetRows);
  return { width, twoColumns: false, leftWidth: width, rightWidth: width, targetRows, probeRows, stepRows, panelRows, logRows, bodyRows };
}

/** Two columns: the dashboard on the left, the run on the right, the log across the bottom. */
function wide(width: number, bodyRows: number, probeRows: number, counts: { readonly steps: number; readonly targets: number }): Layout {
  const logRows = Math.min(10, Math.max(3, Math.floor(bodyRows / 6)));
  const columnRows = bodyRows - logRows;
  const leftWidth = Math.floor((width - 1) * 0.55);
  const stepRows = Math.min(Math.max(1, counts.steps), Math.floor(columnRows / 2));
  return {
    width,
    twoColumns: true,
    leftWidth,
    rightWidth: width - leftWidth - 1,
    // The probes sit right under the targets; the column's spare rows stay below them.
    targetRows: Math.max(1, Math.min(counts.targets, columnRows - 2 - probeRows - 1)),
    probeRows,
    stepRows,
    panelRows: Math.max(3, columnRows - stepRows - 1),
    logRows,
    bodyRows,
  };
}
