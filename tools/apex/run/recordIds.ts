/**
 * Ids the runtime mints for rows the platform keeps itself (AsyncApexJob 707…, CronTrigger 08e…): a key prefix,
 * the pod "0L", random base62, and the checksum suffix of an 18-character Id (core/idChecksum.ts, which the
 * data engine's tools/data/ids.ts uses too; lib/ may not import tools/data).
 */
import { randomBytes } from 'node:crypto';
import { idSuffix } from '../../core/idChecksum.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newRecordId(keyPrefix: string): string {
  const bytes = randomBytes(10);
  let id15 = keyPrefix + '0L';
  for (const b of bytes) id15 += BASE62.charAt(b % 62);
  return id15 + idSuffix(id15);
}
