/** How the screen is divided at a given terminal size. Pure; every count is in rows. */
export interface Layout {
  readonly width: number;
  /** Target rows under the table's summary and header lines (0 when the panel fills the screen). */
  readonly targetRows: number;
  readonly probeRows: number;
  readonly stepRows: number;
  /** The prompt / banner / step-detail panel. */
  readonly panelRows: number;
  readonly logRows: number;
  /** Rows between header and footer. */
  readonly bodyRows: number;
  /** The panel fills the body (Tab), nothing else is drawn. */
  readonly expanded: boolean;
}

/** What the parts of the screen hold, so rows go where there is something to show. */
export interface LayoutNeeds {
  readonly steps: number;
  readonly targets: number;
  readonly traffic: boolean;
  /** Event-log lines so far. */
  readonly logLines: number;
  /** Rows the panel must have (a prompt's question, input and keys) and would fill. */
  readonly panelMin: number;
  readonly panelWant: number;
  /** Rows the panel could also fill with what it shows under a question. */
  readonly panelMore: number;
  /** A question is pending: the panel gets all it wants before anything else grows. */
  readonly asking: boolean;
  readonly expanded: boolean;
  /** Rows of the target table's head above its column header (summary lines, danger); default 1. */
  readonly targetHead?: number | undefined;
  /** Targets the open question depends on: they get rows before the panel grows. */
  readonly targetsFirst?: number | undefined;
}

const MIN_ROWS = 20;
/** Before other parts grow, the step detail gets this many rows. */
const DETAIL_FIRST = 6;

interface Parts {
  targets: number;
  steps: number;
  log: number;
  panel: number;
}

/**
 * Splits the terminal into one column: header, target table, probes, steps, panel, log, footer.
 * Every part starts at its minimum (the targets an open question depends on included); the rows left go first to the panel (all of a prompt, or the start
 * of the step detail), then to targets, steps and a share of the log up to what they hold, then to
 * the rest of the panel's content (under a question: the steps that come next), then to older log
 * lines, so a tall terminal shows more calls and more history instead of blank rows. The frame is kept one row shorter than
 * the terminal: Ink redraws the whole screen (and flickers) when its output is as tall as the terminal.
 */
export function layoutFor(columns: number, rows: number, needs: LayoutNeeds): Layout {
  const bodyRows = Math.max(rows, MIN_ROWS) - 3; // the spare row, header, footer
  const probeRows = needs.traffic ? 3 : 2;
  if (needs.expanded)
    return {
      width: columns,
      targetRows: 0,
      probeRows: 0,
      stepRows: 0,
      panelRows: bodyRows,
      logRows: 0,
      bodyRows,
      expanded: true,
    };
  const head = 1 + (needs.targetHead ?? 1);
  // The rows a question depends on (and the line saying how many others are hidden), up to half the body.
  const pinned = Math.min(needs.targetsFirst ?? 0, needs.targets);
  const first = pinned === 0 ? 0 : Math.min(Math.floor(bodyRows / 2), pinned + (pinned < needs.targets ? 1 : 0));
  const want: Parts = {
    targets: Math.max(first, Math.min(Math.max(1, needs.targets), Math.max(2, Math.floor(bodyRows * 0.3)))),
    steps: Math.min(Math.max(1, needs.steps), 12),
    log: Math.min(Math.max(1, needs.logLines), Math.min(10, Math.max(2, Math.floor(bodyRows / 5)))),
    panel: needs.panelWant,
  };
  const parts: Parts = {
    targets: Math.max(first, Math.min(want.targets, 2)),
    steps: Math.min(want.steps, 3),
    log: 1,
    panel: needs.panelMin,
  };
  let left = bodyRows - head - probeRows - parts.targets - parts.steps - parts.log - parts.panel;
  const grow = (part: keyof Parts, upTo: number): void => {
    const add = Math.max(0, Math.min(left, upTo - parts[part]));
    parts[part] += add;
    left -= add;
  };
  grow('panel', needs.asking ? want.panel : Math.min(want.panel, DETAIL_FIRST));
  grow('targets', want.targets);
  grow('steps', want.steps);
  grow('log', want.log);
  grow('panel', want.panel);
  grow('panel', needs.panelMore);
  grow('log', needs.logLines);
  grow('panel', Number.MAX_SAFE_INTEGER);
  // A terminal too small for every minimum: the panel gives way last, down to one row.
  const panelRows = Math.max(1, parts.panel + Math.min(0, left));
  return {
    width: columns,
    targetRows: parts.targets,
    probeRows,
    stepRows: parts.steps,
    panelRows,
    logRows: parts.log,
    bodyRows,
    expanded: false,
  };
}
