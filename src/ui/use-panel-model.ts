import { useMemo } from 'react';
import type { RunSummary } from '../engine/run-summary.js';
import { useAppStore, useAppStoreApi } from '../store/context.js';
import { panelModel, type PanelModel } from './panel-model.js';

/** The panel's content at `width`, rebuilt only when what it shows changes (not on every poll). */
export function usePanelModel(offer: RunSummary | undefined, width: number): PanelModel {
  const store = useAppStoreApi();
  const overlay = useAppStore((s) => s.ui.overlay);
  const prompt = useAppStore((s) => s.prompt);
  const error = useAppStore((s) => s.ui.error);
  const run = useAppStore((s) => s.run);
  const starting = useAppStore((s) => s.ui.starting);
  const typeahead = useAppStore((s) => s.ui.typeahead);
  const selected = useAppStore((s) => s.ui.selectedStepId);
  const expanded = useAppStore((s) => s.ui.expanded);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the subscriptions above are the memo's keys (the state is read whole)
  return useMemo(
    () => panelModel(store.getState(), offer, width),
    // The state is read whole; these are the parts the panel shows.
    [store, offer, width, overlay, prompt, error, run, starting, typeahead, selected, expanded],
  );
}
