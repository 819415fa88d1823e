/**
 * The header of an Apex trigger (`trigger Name on SObject (before insert, after update) { … }`),
 * read with Salesforce's grammar (triggerUnit). The Metadata API validates deploys with it; the
 * runtime uses it to know which DML fires which trigger, and where the body starts.
 */
import { ApexParserFactory } from '@apexdevtools/apex-parser';
import { FirstSyntaxError, type SyntaxProblem } from './syntaxErrors.ts';

import type { TriggerEvent } from '../model/program.ts';

export type { TriggerEvent };

export const TRIGGER_EVENTS: readonly TriggerEvent[] = [
  'before insert',
  'before update',
  'before delete',
  'after insert',
  'after update',
  'after delete',
  'after undelete',
];

export interface TriggerHeader {
  name: string;
  sobject: string;
  events: TriggerEvent[];
  /** Offset of the character after the block's `{`, with its 1-based line and 0-based column. */
  body: { offset: number; line: number; column: number; end: number };
}

export type TriggerSyntaxError = SyntaxProblem;

/**
 * The trigger's source with everything outside its block blanked (newlines kept), so the block parses
 * as anonymous Apex and keeps the lines and columns it has in the `.trigger` file.
 */
export function triggerBodyText(source: string, header: TriggerHeader): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return (
    blank(source.slice(0, header.body.offset)) + source.slice(header.body.offset, header.body.end) + blank(source.slice(header.body.end))
  );
}

/** Parses a `.trigger` file; a syntax error or an event Salesforce has no trigger for comes back as `error`. */
export function readTriggerHeader(source: string): { header: TriggerHeader } | { error: TriggerSyntaxError } {
  const listener = new FirstSyntaxError();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);

  const unit = parser.triggerUnit() as any;
  if (listener.error) return { error: listener.error };
  const ids = unit.id_list();
  const events: TriggerEvent[] = [];
  for (const c of unit.triggerCase_list()) {
    const when = c.BEFORE() ? 'before' : 'after';
    const op = c.INSERT() ? 'insert' : c.UPDATE() ? 'update' : c.DELETE() ? 'delete' : 'undelete';
    const event = `${when} ${op}` as TriggerEvent;
    // Unverified wording: Salesforce has no `before undelete` and refuses a repeated event at compile time.
    if (!TRIGGER_EVENTS.includes(event))
      return { error: { line: c.start.line, column: c.start.column, msg: `Invalid trigger event: ${event}` } };
    if (events.includes(event)) return { error: { line: c.start.line, column: c.start.column, msg: `Duplicate trigger event: ${event}` } };
    events.push(event);
  }
  const open = unit.triggerBlock().LBRACE().symbol;
  const close = unit.triggerBlock().RBRACE().symbol;
  return {
    header: {
      name: ids[0].getText(),
      sobject: ids[1].getText(),
      events,
      body: { offset: open.stop + 1, line: open.line, column: open.column + 1, end: close.start },
    },
  };
}
