import type { Key } from 'ink';
import type { PromptDecision } from '../store/app-store.js';
import type { Overlay, PromptKind } from '../store/state.js';

/** A key the caller adds (e.g. the sandbox's `o` = break origins). */
export interface ExtraKey {
  readonly key: string;
  readonly label: string;
  run(): void;
}

/** What a session command the keyboard can start. */
export type KeyCommand = 'failover' | 'rollback' | 'resume';

/** What a key press means in the current context. */
export type KeyAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'command'; readonly command: KeyCommand }
  | { readonly kind: 'answer'; readonly decision: PromptDecision }
  | { readonly kind: 'select'; readonly delta: number }
  | { readonly kind: 'scroll'; readonly delta: number }
  | { readonly kind: 'pause' }
  | { readonly kind: 'overlay'; readonly overlay: Overlay }
  | { readonly kind: 'quit' }
  | { readonly kind: 'dismiss-error' }
  | { readonly kind: 'extra'; readonly key: string };

export interface KeyContext {
  readonly overlay: Overlay;
  readonly prompt: PromptKind | undefined;
  /** A session command is running (quitting asks first). */
  readonly busy: boolean;
  readonly extraKeys: readonly string[];
}

type KeyPress = Pick<Key, 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl'>;

const NONE: KeyAction = { kind: 'none' };

/** Resolves a key press to an action. Pure: overlays first, then the pending prompt, then global keys. */
export function actionForKey(input: string, key: KeyPress, ctx: KeyContext): KeyAction {
  if (key.ctrl && input === 'c') return ctx.busy && ctx.overlay !== 'quit' ? { kind: 'overlay', overlay: 'quit' } : { kind: 'quit' };
  switch (ctx.overlay) {
    case 'help':
      return input === '?' || input === 'q' || key.escape ? { kind: 'overlay', overlay: 'none' } : NONE;
    case 'quit':
      if (input === 'y') return { kind: 'quit' };
      return input === 'n' || key.escape ? { kind: 'overlay', overlay: 'none' } : NONE;
    case 'offer':
      return offerKey(input, key);
    case 'none':
      return ctx.prompt === undefined ? globalKey(input, key, ctx) : promptKey(input, key, ctx.prompt);
  }
}

function offerKey(input: string, key: KeyPress): KeyAction {
  if (input === 'r') return { kind: 'command', command: 'resume' };
  if (input === 'b') return { kind: 'command', command: 'rollback' };
  if (input === 'l' || key.escape) return { kind: 'overlay', overlay: 'none' };
  if (input === 'q') return { kind: 'quit' };
  return NONE;
}

function promptKey(input: string, key: KeyPress, prompt: PromptKind): KeyAction {
  const nav = navigationKey(input, key);
  if (nav !== undefined) return nav;
  switch (prompt) {
    case 'confirm':
      if (key.return || input === 'y') return { kind: 'answer', decision: 'run' };
      if (input === 's') return { kind: 'answer', decision: 'skip' };
      if (input === 'n' || key.escape) return { kind: 'answer', decision: 'stop' };
      return input === 'q' ? { kind: 'overlay', overlay: 'quit' } : NONE;
    case 'failure':
      if (input === 'r') return { kind: 'answer', decision: 'retry' };
      if (input === 's') return { kind: 'answer', decision: 'skip' };
      if (input === 'b') return { kind: 'answer', decision: 'rollback' };
      return input === 'q' || key.escape ? { kind: 'answer', decision: 'stop' } : NONE;
    case 'typed-name':
      // The prompt's own input owns the keyboard.
      return NONE;
    case 'rollback':
      if (key.return || input === 'y') return { kind: 'answer', decision: 'run' };
      return input === 'n' || key.escape ? { kind: 'answer', decision: 'stop' } : NONE;
  }
}

function navigationKey(input: string, key: KeyPress): KeyAction | undefined {
  if (key.upArrow) return { kind: 'select', delta: -1 };
  if (key.downArrow) return { kind: 'select', delta: 1 };
  if (key.pageUp) return { kind: 'scroll', delta: -10 };
  if (key.pageDown) return { kind: 'scroll', delta: 10 };
  if (input === '?') return { kind: 'overlay', overlay: 'help' };
  return undefined;
}

function globalKey(input: string, key: KeyPress, ctx: KeyContext): KeyAction {
  const nav = navigationKey(input, key);
  if (nav !== undefined) return nav;
  switch (input) {
    case 'f':
      return { kind: 'command', command: 'failover' };
    case 'b':
      return { kind: 'command', command: 'rollback' };
    case 'r':
      return { kind: 'command', command: 'resume' };
    case 'p':
      return { kind: 'pause' };
    case 'q':
      return ctx.busy ? { kind: 'overlay', overlay: 'quit' } : { kind: 'quit' };
    default:
      if (key.escape) return { kind: 'dismiss-error' };
      return ctx.extraKeys.includes(input) ? { kind: 'extra', key: input } : NONE;
  }
}

/** The footer's key list; compact below 100 columns. */
export function footerText(extra: readonly Pick<ExtraKey, 'key' | 'label'>[], width: number, paused: boolean): string {
  const keys: [string, string][] = [
    ['f', 'failover'],
    ['b', 'rollback'],
    ['r', 'resume'],
    ['↑↓', 'step'],
    ['p', paused ? 'unpause' : 'pause'],
    ...extra.map((k): [string, string] => [k.key, k.label]),
    ['?', 'help'],
    ['q', 'quit'],
  ];
  return width < 100 ? keys.map(([k, l]) => `${k}:${l}`).join(' ') : keys.map(([k, l]) => `${k} ${l}`).join('  ');
}
