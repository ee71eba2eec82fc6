import type { ConfirmRequest, RollbackRequest } from '../engine/operator.js';
import { appendCapped } from './reduce-dashboard.js';
import { LOG_LIMIT, needsTypedName, type AppData, type LogLine, type Prompt, type RollbackPrompt } from './state.js';

/** How a confirmation is asked: `auto` answers `unattended` by itself (nobody asked) unless the operator paused. */
export interface AskOptions {
  readonly auto?: boolean | undefined;
}

/** Control characters never belong in a typed name, wherever they came from. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/gu, '');
}

/** The prompt to show for a confirmation: held when paused, else a confirm or a runbook-name prompt. */
export function confirmPrompt(state: AppData, id: number, request: ConfirmRequest, options: AskOptions): Prompt {
  if (state.ui.pauseRequested) return { kind: 'paused', id, request, auto: options.auto === true };
  return openedPrompt(state, id, request);
}

/** The confirmation itself (also what a paused prompt becomes when the operator goes on). */
export function openedPrompt(state: AppData, id: number, request: ConfirmRequest): Prompt {
  if (request.typeToConfirm === undefined) return { kind: 'confirm', id, request };
  const typed = printable(state.ui.typeahead);
  return {
    kind: 'typed-name',
    id,
    request,
    expected: request.typeToConfirm,
    typed,
    rejected: false,
    early: typed !== '',
  };
}

/** The question before a rollback; in live mode its name pre-filled with what was typed early. */
export function rollbackPrompt(state: AppData, id: number, request: RollbackRequest): RollbackPrompt {
  const typed = request.typeToConfirm === undefined ? '' : printable(state.ui.typeahead);
  return {
    kind: 'rollback',
    id,
    request,
    expected: request.typeToConfirm,
    typed,
    rejected: false,
    early: typed !== '',
  };
}

/**
 * The state with `prompt` up: the start of the command is over, early text went into a runbook-name
 * prompt or is reported as unused (a confirmation is never answered by keys pressed before it was shown).
 */
export function withPrompt(state: AppData, prompt: Prompt, at: number): AppData {
  const unused = state.ui.typeahead !== '' && !needsTypedName(prompt);
  const ui = {
    ...state.ui,
    starting: false,
    typeahead: '',
    detailScroll: 0,
    pauseRequested: prompt.kind === 'paused' ? false : state.ui.pauseRequested,
  };
  const notes: LogLine[] = [];
  if (unused)
    notes.push({
      at,
      level: 'warn',
      message: `Keys typed before this question appeared were not used ("${printable(state.ui.typeahead)}").`,
    });
  if (prompt.kind === 'paused') {
    const { step, index, total } = prompt.request;
    notes.push({
      at,
      level: 'warn',
      message: `Paused before step ${index + 1}/${total} (${step.id}): p to go on, n to stop here (resumable).`,
    });
  }
  return { ...state, prompt, ui, log: notes.reduce((log, note) => appendCapped(log, note, LOG_LIMIT), state.log) };
}

/** A name prompt after an edit of its text (an edit clears the rejection and the early-typing note). */
export function editedName<P extends Prompt>(prompt: P, typed: string): P {
  return 'typed' in prompt && prompt.typed === typed ? prompt : { ...prompt, typed, rejected: false, early: false };
}
