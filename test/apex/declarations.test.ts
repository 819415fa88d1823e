/** System types are declared once (signature + implementation): what the checker and the runtime read. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../tools/apex/lib/index.ts';
import { natives, parseMemberKey } from '../../tools/apex/model/natives.ts';
import { readProjectClasses } from '../../tools/apex/projectSources.ts';
import { debugOf } from './helpers.ts';

const names = (t: { name: string; args: unknown[] }[]) => t.map((x) => x.name);

describe('system type declarations', () => {
  it('reads optional trailing parameters and `|` overloads from a member key', () => {
    const sub = parseMemberKey('String substring(Integer, Integer?)');
    expect(sub.name).toBe('substring');
    expect(sub.signatures.map((s) => names(s.params))).toEqual([['Integer'], ['Integer', 'Integer']]);
    const abs = parseMemberKey('Integer abs(Integer) | Decimal abs(Decimal)');
    expect(abs.signatures.map((s) => s.returns.name)).toEqual(['Integer', 'Decimal']);
    const generic = parseMemberKey('Map<String, List<Object>> m(String[])');
    expect(generic.signatures[0].returns).toEqual({
      name: 'Map',
      args: [
        { name: 'String', args: [], array: 0 },
        { name: 'List', args: [{ name: 'Object', args: [], array: 0 }], array: 0 },
      ],
      array: 0,
    });
    expect(generic.signatures[0].params[0]).toEqual({ name: 'List', args: [{ name: 'String', args: [], array: 0 }], array: 0 });
    expect(parseMemberKey('legacyName')).toEqual({ name: 'legacyName', signatures: [] });
  });

  it('gives the runtime the implementation under the member name and the checker its signatures', async () => {
    const string = natives.get('string')!;
    expect(string.signatures!.methods.get('substring')!.map((s) => s.params.length)).toEqual([1, 2]);
    expect(typeof string.methods!['substring']).toBe('function');
    expect(
      natives
        .get('math')!
        .signatures!.statics.get('max')!
        .map((s) => s.returns.name),
    ).toEqual(['Integer', 'Long', 'Decimal', 'Decimal', 'Double']);
    expect(await debugOf("System.debug('abcdef'.substring(2) + 'abcdef'.substring(1, 3) + Math.max(2, 5));")).toEqual(['cdefbc5']);
  });
});

describe('project sources', () => {
  it('finds classes in any folder of a package directory, as source-deploy-retrieve does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apex-folders-'));
    try {
      for (const [folder, name] of [
        ['main/default/classes/Group A', 'Grouped'],
        ['tests/Group A', 'GroupedTest'],
        ['main/default/classes', 'Flat'],
      ]) {
        mkdirSync(join(dir, folder), { recursive: true });
        writeFileSync(join(dir, folder, `${name}.cls`), `public class ${name} {}`);
        writeFileSync(join(dir, folder, `${name}.cls-meta.xml`), '<ApexClass/>');
      }
      expect(
        readProjectClasses([dir])
          .map((c) => c.name)
          .sort(),
      ).toEqual(['Flat', 'Grouped', 'GroupedTest']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
