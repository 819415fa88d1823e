/**
 * How deeply JSON may nest before it is refused unparsed. Parsing itself copes, but what comes after
 * (JSON.stringify of an error message, the Apex runtime's conversion) recurses once per level and would
 * end in a stack overflow, a 500 instead of the caller's error. Salesforce's parser (Jackson) refuses
 * documents nested past 1000 levels; that it applies Jackson's default is unverified.
 */
export const MAX_JSON_DEPTH = 1000;

/** Jackson's wording for a document nested too deeply. */
export const jsonTooDeepMessage = (): string =>
  `Document nesting depth (${MAX_JSON_DEPTH + 1}) exceeds the maximum allowed (${MAX_JSON_DEPTH})`;

/** True when the text opens more than MAX_JSON_DEPTH arrays/objects at once (strings skipped). One pass, no parse. */
export function jsonTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}
