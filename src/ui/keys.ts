import type { PromptDecision } from '../store/app-store.js';
import type { Overlay, PromptKind } from '../store/state.js';
import type { KeyPress } from './key-press.js';

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
  | { readonly kind: 'type'; readonly press: KeyPress }
  | { readonly kind: 'submit-name' }
  | { readonly kind: 'select'; readonly delta: number }
  | { readonly kind: 'scroll-targets'; readonly delta: number }
  | { readonly kind: 'scroll-panel'; readonly delta: number }
  | { readonly kind: 'expand' }
  | { readonly kind: 'pause' }
  | { readonly kind: 'overlay'; readonly overlay: Overlay }
  | { readonly kind: 'quit' }
  | { readonly kind: 'escape' }
  | { readonly kind: 'extra'; readonly key: string };

export interface KeyContext {
  readonly overlay: Overlay;
  readonly prompt: PromptKind | undefined;
  /** The prompt takes the runbook's name: printable keys are text. */
  readonly typing: boolean;
  /** A session command is running (quitting asks first). */
  readonly busy: boolean;
  /** A live command is starting: text typed now is kept for the runbook-name prompt. */
  readonly typeahead: boolean;
  /** The panel fills the screen (PgUp/PgDn scroll it). */
  readonly expanded: boolean;
  readonly extraKeys: readonly string[];
}

const NONE: KeyAction = { kind: 'none' };
const PAGE = 10;

/**
 * Resolves one key press to an action. Pure: Ctrl-C first, then overlays, then the pending prompt,
 * then the keys that work while a command starts, then global keys.
 */
export function actionForKey(press: KeyPress, ctx: KeyContext): KeyAction {
  const { input, key } = press;
  if (key.ctrl && input === 'c')
    return ctx.busy && ctx.overlay !== 'quit' ? { kind: 'overlay', overlay: 'quit' } : { kind: 'quit' };
  switch (ctx.overlay) {
    case 'help':
      return input === '?' || input === 'q' || key.escape ? { kind: 'overlay', overlay: 'none' } : NONE;
    case 'quit':
      if (input === 'y') return { kind: 'quit' };
      return input === 'n' || key.escape ? { kind: 'overlay', overlay: 'none' } : NONE;
    case 'offer':
      return offerKey(press);
    case 'none':
      if (ctx.prompt !== undefined) return ctx.typing ? nameKey(press) : promptKey(press, ctx.prompt);
      return ctx.typeahead ? typeaheadKey(press, ctx) : globalKey(press, ctx);
  }
}

function offerKey({ input, key }: KeyPress): KeyAction {
  if (input === 'r') return { kind: 'command', command: 'resume' };
  if (input === 'b') return { kind: 'command', command: 'rollback' };
  if (input === 'l' || key.escape) return { kind: 'overlay', overlay: 'none' };
  if (input === 'q') return { kind: 'quit' };
  return NONE;
}

/** Keys that never type: arrows select a step, PgUp/PgDn scroll, Tab expands the panel. */
function navigationKey({ key }: KeyPress, scrollPanel: boolean): KeyAction | undefined {
  if (key.upArrow) return { kind: 'select', delta: -1 };
  if (key.downArrow) return { kind: 'select', delta: 1 };
  if (key.pageUp || key.pageDown)
    return { kind: scrollPanel ? 'scroll-panel' : 'scroll-targets', delta: key.pageUp ? -PAGE : PAGE };
  if (key.tab) return { kind: 'expand' };
  return undefined;
}

/** A prompt that takes the runbook's name: every key but the navigation ones edits it, `?` and `q` too. */
function nameKey(press: KeyPress): KeyAction {
  const nav = navigationKey(press, true);
  if (nav !== undefined) return nav;
  if (press.key.return) return { kind: 'submit-name' };
  return press.key.escape ? { kind: 'answer', decision: 'stop' } : { kind: 'type', press };
}

function promptKey(press: KeyPress, prompt: PromptKind): KeyAction {
  const nav = navigationKey(press, true);
  if (nav !== undefined) return nav;
  const { input, key } = press;
  if (input === '?') return { kind: 'overlay', overlay: 'help' };
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
      // Only reached without its name (not asked for); it always has one.
      return NONE;
    case 'paused':
      if (input === 'p') return { kind: 'pause' };
      if (input === 'n' || key.escape) return { kind: 'answer', decision: 'stop' };
      return input === 'q' ? { kind: 'overlay', overlay: 'quit' } : NONE;
    case 'rollback':
      if (key.return || input === 'y') return { kind: 'answer', decision: 'run' };
      return input === 'n' || key.escape ? { kind: 'answer', decision: 'stop' } : NONE;
  }
}

/** While a live command starts, letters are the beginning of the runbook name, never commands. */
function typeaheadKey(press: KeyPress, ctx: KeyContext): KeyAction {
  const nav = navigationKey(press, ctx.expanded);
  if (nav !== undefined) return nav;
  return press.key.escape ? { kind: 'escape' } : { kind: 'type', press };
}

function globalKey(press: KeyPress, ctx: KeyContext): KeyAction {
  const nav = navigationKey(press, ctx.expanded);
  if (nav !== undefined) return nav;
  const { input, key } = press;
  if (key.escape) return { kind: 'escape' };
  switch (input) {
    case 'f':
      return { kind: 'command', command: 'failover' };
    case 'b':
      return { kind: 'command', command: 'rollback' };
    case 'r':
      return { kind: 'command', command: 'resume' };
    case 'p':
      return { kind: 'pause' };
    case '?':
      return { kind: 'overlay', overlay: 'help' };
    case 'q':
      return ctx.busy ? { kind: 'overlay', overlay: 'quit' } : { kind: 'quit' };
    default:
      return ctx.extraKeys.includes(input) ? { kind: 'extra', key: input } : NONE;
  }
}

/** Whether an action answers a question (these never come from keys read before it was asked). */
export function answers(action: KeyAction): boolean {
  return action.kind === 'answer' || action.kind === 'submit-name';
}
