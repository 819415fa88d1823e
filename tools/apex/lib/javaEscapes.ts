/** Java and ECMAScript escape sequences for String.unescapeJava and String.unescapeEcmaScript. */
const JAVA_ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' };

/**
 * String.unescapeJava/unescapeEcmaScript: the escape sequences (`\n`, `\"`, `\\`, `\u0041`, octal `\101`) become
 * their characters; everything else, raw control characters and unknown escapes included, stays as it is
 * (Apex Reference, "String Class"; a log line with a real newline is no error).
 */
export function unescapeJava(s: string): string {
  return s.replace(/\\(u+[0-9a-fA-F]{4}|[0-3][0-7]{0,2}|[4-7][0-7]?|[btnfr"'\\])/g, (_, e: string) => {
    if (e[0] === 'u') return String.fromCharCode(parseInt(e.slice(-4), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return JAVA_ESCAPES[e];
  });
}
