/**
 * Java regular expressions in ECMAScript's dialect. Apex's Pattern, Matcher and the String methods that
 * take a regex (split, replaceAll, replaceFirst, matches) use Java's syntax ("Pattern Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_classes_pattern_and_matcher_pattern_methods.htm,
 * which points to java.util.regex.Pattern). What JavaScript spells otherwise is rewritten here:
 * inline flags `(?s)`/`(?i:…)` become RegExp flags, `\Q…\E` is quoted, atomic groups and possessive
 * quantifiers lose their no-backtrack promise (a match found either way is the same match in practice),
 * `\A`/`\z`/`\Z` anchor at the ends, and POSIX classes such as `\p{Alpha}` become their ASCII ranges.
 */

const POSIX: Record<string, string> = {
  lower: 'a-z',
  upper: 'A-Z',
  ascii: '\\x00-\\x7F',
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  punct: '!-\\/:-@\\[-`{-~',
  graph: '!-~',
  print: ' -~',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  xdigit: '0-9a-fA-F',
  space: ' \\t\\n\\x0B\\f\\r',
  javalowercase: 'a-z',
  javauppercase: 'A-Z',
  iscontrol: '\\x00-\\x1F\\x7F',
};

const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The ECMAScript source and flags of a Java pattern; `flags` are the caller's own (`g`). */
export function javaRegex(pattern: string, flags = ''): { source: string; flags: string } {
  const wanted = new Set(flags);
  let out = '';
  let inClass = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) {
        out += '\\\\';
        break;
      }
      if (e === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const text = pattern.slice(i + 2, end < 0 ? undefined : end);
        out += quote(text);
        i = end < 0 ? pattern.length : end + 1;
        continue;
      }
      if ((e === 'p' || e === 'P') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        const name =
          close < 0
            ? ''
            : pattern
                .slice(i + 3, close)
                .toLowerCase()
                .replace(/^is/, '');
        const range = POSIX[name] ?? POSIX['is' + name];
        if (range !== undefined) {
          out += inClass ? (e === 'p' ? range : '') : e === 'p' ? `[${range}]` : `[^${range}]`;
          i = close;
          continue;
        }
      }
      if (!inClass && e === 'A') out += '^';
      else if (!inClass && (e === 'z' || e === 'Z')) out += '$';
      else out += c + e;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[') inClass++;
      else if (c === ']') inClass--;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = 1;
      out += c;
      // a `]` right after `[` or `[^` is a literal in Java
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const m = /^\(\?([idmsuxU]*)(?:-([idmsuxU]*))?(\)|:)/.exec(pattern.slice(i));
      if (m && (m[1] || m[2] !== undefined)) {
        for (const fl of m[1]) if ('ims'.includes(fl)) wanted.add(fl);
        out += m[3] === ':' ? '(?:' : '';
        i += m[0].length - 1;
        continue;
      }
      if (pattern[i + 2] === '>') {
        out += '(?:';
        i += 2;
        continue;
      }
    }
    // possessive quantifiers (`a*+`, `a{2}+`): the same match without the backtracking promise
    if (c === '+' && /[*+?}]/.test(pattern[i - 1] ?? '') && pattern[i - 2] !== '\\' && out.length > 0 && !out.endsWith('\\+')) {
      const prev = out[out.length - 1];
      if (prev === '*' || prev === '+' || prev === '?' || prev === '}') continue;
    }
    out += c;
  }
  return { source: out, flags: [...wanted].join('') };
}

/** A RegExp for a Java pattern; throws the engine's SyntaxError for what is wrong in both dialects. */
export function javaRegExp(pattern: string, flags = ''): RegExp {
  const { source, flags: f } = javaRegex(pattern, flags);
  return new RegExp(source, f);
}
