/** What JSON.deserialize checks before it parses: the Type argument, the first token (issue 18, apex-recipes). */
import { throwEx, unsupported } from '../run/exceptions.ts';
import { TypeValue } from '../run/values.ts';
import type { Site } from '../model/classModel.ts';
import type { Frame } from '../run/frame.ts';
import type { TypeRef } from '../model/typeRef.ts';

/**
 * Salesforce reads JSON as a stream: a List or Set type wants `[` as the first token, and says so before it
 * reads any further ("Malformed JSON: Expected '[' at the beginning of List/Set"), however broken the rest is.
 */
export function expectListStart(f: Frame, s: string, t: TypeRef): void {
  const n = t.name.toLowerCase().replace(/^system\./, '');
  if (n !== 'list' && n !== 'set' && !t.array) return;
  const text = s.trimStart();
  if (text === '' || text.startsWith('[') || /^null\s*$/.test(text)) return;
  throwEx(f, 'JSONException', `Malformed JSON: Expected '[' at the beginning of List/Set`);
}

export function typeArg(f: Frame, t: unknown, site: Site): TypeRef {
  if (!(t instanceof TypeValue)) return unsupported(f, 'JSON.deserialize without a Type', site);
  return t.ref;
}
