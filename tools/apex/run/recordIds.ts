/**
 * Ids the runtime mints for rows the platform keeps itself (AsyncApexJob 707…, CronTrigger 08e…): a key prefix,
 * the pod "0L", random base62, and the 3-character checksum suffix of an 18-character Id (the same rule as the
 * data engine's tools/data/ids.ts, which lib/ may not import).
 */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function newRecordId(keyPrefix: string): string {
  const bytes = randomBytes(10);
  let id15 = keyPrefix + '0L';
  for (const b of bytes) id15 += BASE62.charAt(b % 62);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return id15 + suffix;
}
