import { Text } from 'ink';
import { useEffect, useState, type ReactNode } from 'react';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** A one-character spinner; only this component re-renders on each frame. */
export function Spinner({ color = 'cyan' }: { readonly color?: string }): ReactNode {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 100);
    timer.unref?.();
    return () => clearInterval(timer);
  }, []);
  return <Text color={color}>{FRAMES[frame]}</Text>;
}
