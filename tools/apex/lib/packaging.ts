/**
 * Managed-package versions and install scripts: `System.Version` (Apex Reference, "Version Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_version.htm), the
 * `InstallContext` and `UninstallContext` a post-install or uninstall script receives, and `Test.testInstall` /
 * `Test.testUninstall`, which run such a script in the test (First-Generation Managed Packaging Developer Guide,
 * "Example of a Post Install Script", https://developer.salesforce.com/docs/atlas.en-us.pkg1_dev.meta/pkg1_dev/apex_post_install_script_create.htm;
 * Apex Reference, "InstallHandler Interface", "Test Class").
 */
import './system.ts'; // Test, which this file extends
import { NObj } from './nativeValues.ts';
import { defineNative, natives } from '../model/natives.ts';
import { ApexObject } from '../run/values.ts';
import { callVirtual } from '../run/calls.ts';
import { throwNpe, unsupported } from '../run/exceptions.ts';
import { runtimeTypeName } from '../run/types.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

/** A package version compared by value: `System.requestVersion() == new Version(1, 0)` (the class's own example). */
class VersionObj extends NObj {
  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number | null,
  ) {
    super('System.Version');
  }
  valueKey(): string {
    return `${this.major}.${this.minor}${this.patch === null ? '' : '.' + this.patch}`;
  }
}

const part = (f: Frame, v: unknown): number => {
  if (v === null || v === undefined) throwNpe(f);
  return Number(v);
};

defineNative(
  {
    name: 'System.Version',
    construct: (f, [major, minor, patch]) =>
      new VersionObj(part(f, major), part(f, minor), patch === undefined || patch === null ? null : Number(patch)),
    methods: {
      'Integer major()': (f, v: VersionObj) => v.major,
      'Integer minor()': (f, v: VersionObj) => v.minor,
      // "the patch number in the returned Version object is null" for a two-part version
      'Integer patch()': (f, v: VersionObj) => v.patch,
      // a two-part version against a three-part one compares major and minor only
      'Integer compareTo(System.Version)': (f, v: VersionObj, [o]) => {
        if (!(o instanceof VersionObj)) return throwNpe(f);
        const d = v.major - o.major || v.minor - o.minor;
        if (d || v.patch === null || o.patch === null) return Math.sign(d);
        return Math.sign(v.patch - o.patch);
      },
      'String toString()': (f, v: VersionObj) => v.valueKey(),
    },
    instanceOf: (v) => v instanceof VersionObj,
  },
  'Version',
);

function installContext(f: Frame, previous: unknown, isPush: boolean): NObj {
  const c = new NObj('System.InstallContext');
  c.set('organizationId', f.tx.host.orgId);
  c.set('installerId', f.tx.host.user.id);
  c.set('previousVersion', previous ?? null);
  c.set('isUpgrade', previous !== null && previous !== undefined);
  c.set('isPush', isPush);
  return c;
}
defineNative(
  {
    name: 'System.InstallContext',
    methods: {
      'Id organizationId()': (f, c: NObj) => c.get('organizationId'),
      'Id installerId()': (f, c: NObj) => c.get('installerId'),
      'System.Version previousVersion()': (f, c: NObj) => c.get('previousVersion'),
      'Boolean isUpgrade()': (f, c: NObj) => c.get('isUpgrade'),
      'Boolean isPush()': (f, c: NObj) => c.get('isPush'),
    },
  },
  'InstallContext',
);
defineNative(
  {
    name: 'System.UninstallContext',
    methods: {
      'Id organizationId()': (f, c: NObj) => c.get('organizationId'),
      'Id uninstallerId()': (f, c: NObj) => c.get('uninstallerId'),
    },
  },
  'UninstallContext',
);

/** The script object (the compile phase has checked that it implements the handler interface). */
function script(f: Frame, v: unknown, iface: string, site: Site): ApexObject {
  if (v === null || v === undefined) throwNpe(f);
  if (!(v instanceof ApexObject)) return unsupported(f, `${iface} implemented by ${runtimeTypeName(v)}`, site);
  return v;
}

const test = natives.get('test')!.statics!;
// the script runs now, in the test's transaction, as the running user (tests do not see the package's own user)
test['testinstall'] = async (f: Frame, [handler, version, isPush]: unknown[], site: Site) => {
  if (!f.tx.isTest) unsupported(f, 'Test.testInstall outside a test', site);
  const h = script(f, handler, 'InstallHandler', site);
  await callVirtual(f, h, 'onInstall', [installContext(f, version, isPush === true)], site);
  return null;
};
test['testuninstall'] = async (f: Frame, [handler]: unknown[], site: Site) => {
  if (!f.tx.isTest) unsupported(f, 'Test.testUninstall outside a test', site);
  const h = script(f, handler, 'UninstallHandler', site);
  const c = new NObj('System.UninstallContext');
  c.set('organizationId', f.tx.host.orgId);
  c.set('uninstallerId', f.tx.host.user.id);
  await callVirtual(f, h, 'onUninstall', [c], site);
  return null;
};
