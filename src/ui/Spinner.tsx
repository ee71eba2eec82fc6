import { Text } from 'ink';
import { useEffect, useState, type ReactNode } from 'react';
import { useColor } from './use-color.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** A one-character spinner; only this component re-renders on each frame. */
export function Spinner({ color = 'cyan' }: { readonly color?: string }): ReactNode {
  const [frame, setFrame] = useState(0);
  const paint = useColor();
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 100);
    timer.unref?.();
    return () => clearInterval(timer);
  }, []);
  return <Text color={paint(color)}>{FRAMES[frame]}</Text>;
}
