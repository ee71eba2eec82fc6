import type { Key } from 'ink';

/** The key flags hotspare reads; a subset of Ink's `Key`. */
export type KeyFlags = Pick<
  Key,
  'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl' | 'backspace' | 'delete' | 'tab'
>;

/** One key: the character typed (empty for special keys) and its flags. */
export interface KeyPress {
  readonly input: string;
  readonly key: KeyFlags;
}

const NO_FLAGS: KeyFlags = {
  upArrow: false,
  downArrow: false,
  pageUp: false,
  pageDown: false,
  return: false,
  escape: false,
  ctrl: false,
  backspace: false,
  delete: false,
  tab: false,
};

/** One character of a multi-key read as the key a terminal meant by it. */
function charKey(ch: string): KeyPress {
  if (ch === '\r' || ch === '\n') return { input: '', key: { ...NO_FLAGS, return: true } };
  if (ch === '\u007F' || ch === '\b') return { input: '', key: { ...NO_FLAGS, backspace: true } };
  if (ch === '\t') return { input: '', key: { ...NO_FLAGS, tab: true } };
  if (ch === '\u001B') return { input: '', key: { ...NO_FLAGS, escape: true } };
  const code = ch.codePointAt(0) ?? 0;
  // C0 controls are Ctrl + a letter (\x01 is Ctrl-A, \x15 Ctrl-U); DEL-range C1 controls are not keys.
  if (code < 0x20) return { input: String.fromCharCode(code + 0x60), key: { ...NO_FLAGS, ctrl: true } };
  if (code >= 0x80 && code < 0xa0) return { input: '', key: NO_FLAGS };
  return { input: ch, key: NO_FLAGS };
}

/**
 * Splits one read from the terminal into single key presses. Ink passes a read of several
 * characters as one `input` (a paste, fast typing over ssh, `\x7f\x7f` for two quick backspaces,
 * `name\r`); hotspare handles each key in order so none is misread or lost.
 */
export function splitKeys(input: string, key: KeyFlags): readonly KeyPress[] {
  const chars = Array.from(input);
  if (chars.length <= 1) return [{ input, key }];
  return chars.map(charKey);
}

/** Whether the press is plain text to type (no control character, no special key). */
export function isText(press: KeyPress): boolean {
  const { key } = press;
  if (key.ctrl || key.return || key.escape || key.tab || key.backspace || key.delete) return false;
  return press.input !== '' && !/[\u0000-\u001F\u007F-\u009F]/u.test(press.input);
}
