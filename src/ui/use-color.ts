import { useAppStore } from '../store/context.js';

/** A colour name, or undefined when colour is off. */
export type Paint = (color: string | undefined) => string | undefined;

/**
 * Colours for components: with colour off (NO_COLOR, https://no-color.org) every colour is dropped;
 * bold, dim and inverse stay, so the selection and the mode badge are still visible.
 */
export function useColor(): Paint {
  const enabled = useAppStore((s) => s.color);
  return enabled ? paintColor : noColor;
}

const paintColor: Paint = (color) => color;
const noColor: Paint = () => undefined;
