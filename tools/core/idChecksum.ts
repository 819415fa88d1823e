/**
 * The 3-character checksum suffix that makes a 15-character Salesforce Id an 18-character one: each
 * 5-character chunk gives a 5-bit mask of its upper-case letters, read as a letter or digit of
 * A–Z0–5. Shared by the data engine (tools/data/ids.ts) and the Apex runtime's own Ids
 * (apex/run/recordIds.ts), which may not import tools/data.
 */
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function idSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += SUFFIX.charAt(bits);
  }
  return out;
}
