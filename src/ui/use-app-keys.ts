import { useInput } from 'ink';
import { useAppStore, useAppStoreApi } from '../store/context.js';
import { needsTypedName } from '../store/state.js';
import { actionForKey, type ExtraKey, type KeyAction, type KeyCommand } from './keys.js';

export interface AppKeysOptions {
  readonly extraKeys: readonly ExtraKey[];
  readonly targetRows: number;
  readonly startCommand: (command: KeyCommand) => void;
  readonly quit: () => void;
}

/** The app's key map: resolves each press with `actionForKey` and performs it on the store. */
export function useAppKeys(options: AppKeysOptions): void {
  const store = useAppStoreApi();
  const typing = useAppStore((s) => needsTypedName(s.prompt) && s.ui.overlay === 'none');
  useInput(
    (input, key) => {
      const s = store.getState();
      const action = actionForKey(input, key, {
        overlay: s.ui.overlay,
        prompt: s.prompt?.kind,
        busy: s.ui.busy,
        extraKeys: options.extraKeys.map((k) => k.key),
      });
      perform(action, store.getState, options);
    },
    { isActive: !typing },
  );
}

function perform(action: KeyAction, get: ReturnType<typeof useAppStoreApi>['getState'], options: AppKeysOptions): void {
  const s = get();
  switch (action.kind) {
    case 'none':
      return;
    case 'command':
      if (s.ui.overlay === 'offer') s.setOverlay('none');
      return options.startCommand(action.command);
    case 'answer':
      s.answerPrompt(action.decision);
      return;
    case 'select':
      return s.selectStep(action.delta);
    case 'scroll':
      return s.scrollTargets(action.delta, options.targetRows);
    case 'pause':
      return s.togglePause();
    case 'overlay':
      return s.setOverlay(action.overlay);
    case 'quit':
      return options.quit();
    case 'dismiss-error':
      return s.clearError();
    case 'extra':
      return options.extraKeys.find((k) => k.key === action.key)?.run();
  }
}
