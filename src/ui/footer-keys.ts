import { needsTypedName, type Overlay, type Prompt } from '../store/state.js';
import type { ExtraKey } from './keys.js';
import { textWidth } from './text.js';

/** What decides which keys work now. */
export interface FooterContext {
  readonly overlay: Overlay;
  readonly prompt: Prompt | undefined;
  readonly busy: boolean;
  readonly pauseRequested: boolean;
  readonly expanded: boolean;
  readonly extraKeys: readonly Pick<ExtraKey, 'key' | 'label'>[];
}

type Entry = readonly [key: string, label: string];

function promptEntries(prompt: Prompt): readonly Entry[] {
  switch (prompt.kind) {
    case 'confirm':
      return [
        ['Enter/y', prompt.request.step.type === 'manual' ? 'done' : 'run'],
        ['s', 'skip'],
        ['n/Esc', 'stop'],
      ];
    case 'typed-name':
      return [
        ['type the name, Enter', 'run'],
        ['Esc', 'stop'],
      ];
    case 'failure':
      return [
        ['r', 'retry'],
        ['s', 'skip'],
        ['b', 'roll back'],
        ['q', 'stop (resumable)'],
      ];
    case 'paused':
      return [
        ['p', 'go on'],
        ['n/Esc', 'stop here (resumable)'],
      ];
    case 'rollback':
      return prompt.expected === undefined
        ? [
            ['Enter/y', 'roll back'],
            ['n/Esc', 'leave it as it is'],
          ]
        : [
            ['type the name, Enter', 'roll back'],
            ['Esc', 'leave it as it is'],
          ];
  }
}

/**
 * The keys that work right now, most important first: an overlay's or a prompt's own keys, and
 * f/b/r only when no command is running (they are refused during a run).
 */
export function footerEntries(ctx: FooterContext): readonly Entry[] {
  switch (ctx.overlay) {
    case 'help':
      return [['?/Esc', 'close help']];
    case 'quit':
      return [
        ['y', 'quit'],
        ['n/Esc', 'stay'],
      ];
    case 'offer':
      return [
        ['r', 'resume'],
        ['b', 'roll back'],
        ['l/Esc', 'leave it'],
        ['q', 'quit'],
      ];
    case 'none':
      break;
  }
  const panel: Entry[] = [
    ['Tab', ctx.expanded ? 'back' : 'details'],
    ...(ctx.expanded || ctx.prompt !== undefined ? [['PgUp/PgDn', 'scroll'] as const] : []),
  ];
  if (ctx.prompt !== undefined) {
    const tail: Entry[] = needsTypedName(ctx.prompt)
      ? [['Ctrl-C', 'quit']]
      : [
          ['?', 'help'],
          ['q', 'quit'],
        ];
    return [...promptEntries(ctx.prompt), ...panel, ['↑↓', 'step'], ...tail];
  }
  const commands: Entry[] = ctx.busy
    ? []
    : [
        ['f', 'failover'],
        ['b', 'rollback'],
        ['r', 'resume'],
      ];
  const pause: Entry = ['p', ctx.pauseRequested ? 'cancel pause' : 'pause'];
  const extra = ctx.extraKeys.map((k): Entry => [k.key, k.label]);
  return [...commands, ['↑↓', 'step'], ...panel, pause, ...extra, ['?', 'help'], ['q', 'quit']];
}

/**
 * The footer line within `width` columns: `key label` pairs, compact (`key:label`) when that is what
 * fits, and entries dropped from the middle (never the first, nor help and quit) as a last resort.
 */
export function footerText(entries: readonly Entry[], width: number): string {
  const wide = (list: readonly Entry[]): string => list.map(([k, l]) => `${k} ${l}`).join('  ');
  const compact = (list: readonly Entry[]): string => list.map(([k, l]) => `${k}:${l}`).join(' ');
  const list = [...entries];
  for (;;) {
    if (textWidth(wide(list)) <= width) return wide(list);
    if (textWidth(compact(list)) <= width || list.length <= 3) return compact(list);
    list.splice(list.length - 3, 1);
  }
}
