import { isText, type KeyPress } from './key-press.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function dropLastGrapheme(value: string): string {
  const parts = Array.from(graphemes.segment(value), (s) => s.segment);
  return parts.slice(0, -1).join('');
}

/**
 * The text of a one-line input after one key: Backspace (or Delete, which many terminals send for it)
 * removes the last character, Ctrl-U clears the line, Ctrl-W removes the last word, text is
 * appended; every other key leaves it as it was. Pure.
 */
export function editText(value: string, press: KeyPress): string {
  const { key, input } = press;
  if (key.backspace || key.delete) return dropLastGrapheme(value);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl && input === 'w') return value.replace(/\S*\s*$/u, '');
  return isText(press) ? value + input : value;
}
