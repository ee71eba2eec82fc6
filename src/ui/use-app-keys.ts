import { useInput } from 'ink';
import { useAppStoreApi } from '../store/context.js';
import { needsTypedName } from '../store/state.js';
import type { AppStore } from '../store/app-store.js';
import { splitKeys } from './key-press.js';
import { actionForKey, answers, type ExtraKey, type KeyAction, type KeyCommand } from './keys.js';
import { editText } from './text-edit.js';

export interface AppKeysOptions {
  readonly extraKeys: readonly ExtraKey[];
  /** Target rows on screen (the scroll step and bound). */
  readonly targetRows: number;
  /** How far the panel's body can scroll at the current size. */
  readonly panelMaxScroll: () => number;
  readonly startCommand: (command: KeyCommand) => void;
  readonly quit: () => void;
}

/**
 * The app's one key handler, active from the first frame. Each read is split into single keys and
 * each key is resolved against the store's state at that moment, not the last frame drawn: a prompt
 * the engine has just put up takes the next key even before React shows it, so nothing typed falls
 * between two renders. A key read together with the one that raised a question never answers it.
 */
export function useAppKeys(options: AppKeysOptions): void {
  const store = useAppStoreApi();
  useInput((input, key) => {
    const promptBefore = store.getState().prompt?.id;
    for (const press of splitKeys(input, key)) {
      const s = store.getState();
      const action = actionForKey(press, {
        overlay: s.ui.overlay,
        prompt: s.prompt?.kind,
        typing: needsTypedName(s.prompt),
        busy: s.ui.busy,
        typeahead: s.ui.starting && s.mode === 'live',
        expanded: s.ui.expanded,
        extraKeys: options.extraKeys.map((k) => k.key),
      });
      if (answers(action) && s.prompt?.id !== promptBefore) {
        s.dispatch({
          type: 'log',
          level: 'warn',
          message: 'A key read together with the one that raised this question was not taken as its answer.',
          at: s.now(),
        });
        continue;
      }
      perform(action, store, options);
    }
  });
}

function perform(action: KeyAction, store: AppStore, options: AppKeysOptions): void {
  const s = store.getState();
  switch (action.kind) {
    case 'none':
      return;
    case 'command':
      if (s.ui.overlay === 'offer') s.setOverlay('none');
      return options.startCommand(action.command);
    case 'answer':
      s.answerPrompt(action.decision);
      return;
    case 'type':
      return s.editTyped((text) => editText(text, action.press));
    case 'submit-name':
      s.submitTypedName();
      return;
    case 'select':
      return s.selectStep(action.delta);
    case 'scroll-targets':
      return s.scrollTargets(action.delta, options.targetRows);
    case 'scroll-panel':
      return s.scrollDetail(action.delta, options.panelMaxScroll());
    case 'expand':
      return s.toggleExpanded();
    case 'pause':
      return s.togglePause();
    case 'overlay':
      return s.setOverlay(action.overlay);
    case 'quit':
      return options.quit();
    case 'escape':
      if (s.ui.starting && s.ui.typeahead !== '') return s.editTyped(() => '');
      return s.ui.expanded ? s.toggleExpanded() : s.clearError();
    case 'extra':
      return options.extraKeys.find((k) => k.key === action.key)?.run();
  }
}
