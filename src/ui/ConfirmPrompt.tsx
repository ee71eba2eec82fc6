import { Box, Text, useInput } from 'ink';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useAppStore, useAppStoreApi } from '../store/context.js';
import { expectedName, type Prompt } from '../store/state.js';
import { promptKeys, promptLines } from './confirm-prompt.js';
import { Lines } from './Lines.js';

export interface ConfirmPromptProps {
  readonly prompt: Prompt;
  readonly maxLines: number;
}

/**
 * The engine's pending question. Confirm and failure keys are handled by the app's key map; a
 * typed-name prompt owns the keyboard (letters go into the input) until answered.
 */
export function ConfirmPrompt({ prompt, maxLines }: ConfirmPromptProps): ReactNode {
  const mode = useAppStore((s) => s.mode);
  const lines = useMemo(() => promptLines(prompt, mode), [prompt, mode]);
  const expected = expectedName(prompt);
  const footer = expected !== undefined ? 3 : 1;
  return (
    <Box flexDirection="column">
      <Lines lines={lines} max={Math.max(1, maxLines - footer)} />
      {expected !== undefined ? <TypedNameInput key={prompt.id} expected={expected} /> : null}
      <Text wrap="truncate-end" color="cyan">
        {promptKeys(prompt)}
      </Text>
    </Box>
  );
}

function TypedNameInput({ expected }: { readonly expected: string }): ReactNode {
  const store = useAppStoreApi();
  const [typed, setTyped] = useState('');
  const [rejected, setRejected] = useState(false);
  // Keys can arrive before React re-subscribes the handler with fresh state; the ref is always current.
  const current = useRef('');
  const update = (next: string): void => {
    current.current = next;
    setTyped(next);
  };
  useInput((input, key) => {
    if (key.escape) return void store.getState().answerPrompt('stop');
    if (key.return) return void setRejected(!store.getState().answerPrompt('run', current.current));
    if (key.backspace || key.delete) return update(current.current.slice(0, -1));
    if (input !== '' && !key.ctrl && !key.meta) update(current.current + input);
  });
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {'> '}
        {typed}
        <Text inverse> </Text>
      </Text>
      <Text wrap="truncate-end" color="red">
        {rejected ? `That is not "${expected}". Type it exactly, or Esc to stop.` : ' '}
      </Text>
    </Box>
  );
}
