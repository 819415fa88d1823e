/**
 * Slices of a source file by parser offsets. The parser counts code points, JavaScript strings count
 * UTF-16 units: after an emoji in a comment, `source.slice(token.start, …)` would cut one character
 * early (a query sent as "[SELECT Id FROM Accoun").
 */
let lastSource: string | undefined;
let lastPoints: string[] | undefined;

export function sourceSlice(source: string, from: number, to: number): string {
  if (source !== lastSource) {
    lastSource = source;
    lastPoints = /[\uD800-\uDFFF]/.test(source) ? Array.from(source) : undefined;
  }
  return lastPoints ? lastPoints.slice(from, to).join('') : source.slice(from, to);
}
