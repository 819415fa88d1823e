/** Metadata API deploys of XML metadata: validation, remote sites, custom metadata, tabs and LWC bundles, child-only deploys, settings. */
import { describe, expect, it } from 'vitest';
import { deployOrgs, zipOf, MD } from './fixtures.ts';
import { listRemoteSites, getCustomObject, getSettings } from '../../../tools/local-platform/metadata/index.ts';

const t = deployOrgs();
const { platform, deploy, failures } = t;

describe('XML validation', () => {
  it('fails malformed XML with a position', async () => {
    const r = await deploy(
      await zipOf(
        {
          'remoteSiteSettings/Bad.remoteSite': `<?xml version="1.0" encoding="UTF-8"?>\n<RemoteSiteSetting ${MD}>\n  <url>https://x.example</url>\n  <isActive>true</isActive\n</RemoteSiteSetting>`,
        },
        { RemoteSiteSetting: ['Bad'] },
      ),
    );
    expect(r.details.componentFailures[0]).toMatchObject({ fullName: 'Bad', lineNumber: expect.any(Number) });
    expect(r.details.componentFailures[0]!.problem).toMatch(/^Error parsing file: /);
  });

  it('rejects unknown elements and bad booleans per component', async () => {
    const r = await deploy(
      await zipOf(
        {
          'remoteSiteSettings/Odd.remoteSite': `<?xml version="1.0" encoding="UTF-8"?>\n<RemoteSiteSetting ${MD}>\n<disableProtocolSecurity>false</disableProtocolSecurity>\n<isActive>yes</isActive>\n<colour>blue</colour>\n<url>https://x.example</url>\n</RemoteSiteSetting>`,
        },
        { RemoteSiteSetting: ['Odd'] },
      ),
    );
    expect(failures(r)).toEqual([
      'RemoteSiteSetting:Odd: Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type RemoteSiteSetting',
      "RemoteSiteSetting:Odd: 'yes' is not a valid value for the type xsd:boolean",
    ]);
    expect(r.details.componentFailures[0]).toMatchObject({ lineNumber: 5, columnNumber: 1 });
    expect(listRemoteSites(platform.db, t.org.id).map((s) => s.name)).not.toContain('Odd');
  });

  it('stores a valid remote site for callout checks', async () => {
    const r = await deploy(
      await zipOf(
        {
          'remoteSiteSettings/OrgB.remoteSite': `<RemoteSiteSetting ${MD}><disableProtocolSecurity>false</disableProtocolSecurity><isActive>true</isActive><url>http://127.0.0.1:6101</url></RemoteSiteSetting>`,
        },
        { RemoteSiteSetting: ['OrgB'] },
      ),
    );
    expect(r.status).toBe('Succeeded');
    expect(listRemoteSites(platform.db, t.org.id)).toContainEqual({
      name: 'OrgB',
      url: 'http://127.0.0.1:6101',
      isActive: true,
      disableProtocolSecurity: false,
    });
  });
});

describe('Custom metadata', () => {
  const type = `<CustomObject ${MD}><fields><fullName>Endpoint__c</fullName><label>Endpoint</label><length>255</length><type>Text</type></fields><fields><fullName>Enabled__c</fullName><defaultValue>false</defaultValue><label>Enabled</label><type>Checkbox</type></fields><label>Org B Connection</label><pluralLabel>Org B Connections</pluralLabel><visibility>Public</visibility></CustomObject>`;
  const rec = (field: string, value: string) =>
    `<CustomMetadata ${MD} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><label>Default</label><protected>false</protected><values><field>${field}</field><value xsi:type="xsd:string">${value}</value></values><values><field>Enabled__c</field><value xsi:type="xsd:boolean">true</value></values></CustomMetadata>`;

  it('fails a record of an unknown type or with an unknown field', async () => {
    const r1 = await deploy(
      await zipOf({ 'customMetadata/Nope.Default.md': rec('Endpoint__c', 'x') }, { CustomMetadata: ['Nope.Default'] }),
    );
    expect(failures(r1)[0]).toMatch(/Nope__mdt/);
    const r2 = await deploy(
      await zipOf(
        { 'objects/Conn__mdt.object': type, 'customMetadata/Conn.Default.md': rec('Wrong__c', 'x') },
        { CustomObject: ['Conn__mdt'], CustomMetadata: ['Conn.Default'] },
      ),
    );
    expect(failures(r2)).toEqual(['CustomMetadata:Conn.Default: In field: field - no CustomField named Conn__mdt.Wrong__c found']);
    expect(platform.records.find(t.org.id, 'Conn__mdt', 'DeveloperName', 'Default')).toBeUndefined();
  });

  it('writes records as sObject rows of the type, with typed values', async () => {
    const r = await deploy(
      await zipOf(
        { 'objects/Conn__mdt.object': type, 'customMetadata/Conn.Default.md': rec('Endpoint__c', 'https://b.example') },
        { CustomObject: ['Conn__mdt'], CustomMetadata: ['Conn.Default'] },
      ),
    );
    expect(failures(r)).toEqual([]);
    expect(platform.records.find(t.org.id, 'Conn__mdt', 'DeveloperName', 'Default')).toMatchObject({
      DeveloperName: 'Default',
      MasterLabel: 'Default',
      Endpoint__c: 'https://b.example',
      Enabled__c: true,
    });
  });
});

describe('CustomTab and LWC', () => {
  const bundle = {
    'lwc/accountsView/accountsView.js':
      "import { LightningElement } from 'lwc';\nexport default class AccountsView extends LightningElement {}\n",
    'lwc/accountsView/accountsView.html': '<template></template>',
    'lwc/accountsView/accountsView.js-meta.xml': `<LightningComponentBundle ${MD}><apiVersion>66.0</apiVersion><isExposed>true</isExposed><targets><target>lightning__Tab</target></targets></LightningComponentBundle>`,
  };
  const tab = `<CustomTab ${MD}><label>Accounts</label><lwcComponent>accountsView</lwcComponent><motif>Custom1: Heart</motif></CustomTab>`;

  it('fails a tab whose component is missing, and deploys it with its bundle', async () => {
    expect(failures(await deploy(await zipOf({ 'tabs/Accounts_View.tab': tab }, { CustomTab: ['Accounts_View'] })))).toEqual([
      'CustomTab:Accounts_View: In field: lwcComponent - no LightningComponentBundle named accountsView found',
    ]);
    const r = await deploy(
      await zipOf(
        { ...bundle, 'tabs/Accounts_View.tab': tab },
        { CustomTab: ['Accounts_View'], LightningComponentBundle: ['accountsView'] },
      ),
    );
    expect(failures(r)).toEqual([]);
  });

  it('fails a bundle without its js-meta.xml fields right', async () => {
    const broken = {
      ...bundle,
      'lwc/accountsView/accountsView.js-meta.xml': `<LightningComponentBundle ${MD}><isExposed>maybe</isExposed></LightningComponentBundle>`,
    };
    expect(failures(await deploy(await zipOf(broken, { LightningComponentBundle: ['accountsView'] })))).toEqual([
      'LightningComponentBundle:accountsView: Required field is missing: apiVersion',
      "LightningComponentBundle:accountsView: 'maybe' is not a valid value for the type xsd:boolean",
    ]);
  });
  it('fails a bundle whose template, script or style does not compile, naming the file, line and column', async () => {
    const broken = {
      ...bundle,
      'lwc/accountsView/accountsView.html': '<template>\n  <div>\n</template>',
      'lwc/accountsView/accountsView.js':
        "import { LightningElement } from 'lwc';\nexport default class AccountsView extends LightningElement {\n  load( {}\n}\n",
      'lwc/accountsView/accountsView.css': '.card { color: red;',
    };
    const r = await deploy(await zipOf(broken, { LightningComponentBundle: ['accountsView'] }));
    expect(r.status).toBe('Failed');
    const byFile = Object.fromEntries(r.details.componentFailures.map((f) => [f.fileName, f]));
    expect(byFile['lwc/accountsView/accountsView.html']).toMatchObject({
      lineNumber: 3,
      problem: expect.stringMatching(/^LWC1058: Invalid HTML syntax/),
    });
    expect(byFile['lwc/accountsView/accountsView.js']).toMatchObject({
      lineNumber: 4,
      problem: expect.stringMatching(/LWC1007: accountsView\.js: Unexpected token/),
    });
    expect(byFile['lwc/accountsView/accountsView.css']).toMatchObject({ problem: expect.stringMatching(/LWC1009: .*Unclosed block/) });
    expect(JSON.stringify(r.details.componentFailures)).not.toContain(process.cwd());
  });
});

describe('child-only deploys', () => {
  it('merges a deploy of one CustomField into the stored object, keeping the other fields', async () => {
    const obj = (fields: string) =>
      `<CustomObject ${MD}>${fields}<label>Cfg</label><pluralLabel>Cfgs</pluralLabel><visibility>Public</visibility></CustomObject>`;
    const field = (name: string, len: number) =>
      `<fields><fullName>${name}</fullName><label>${name}</label><length>${len}</length><type>Text</type></fields>`;
    expect(
      (await deploy(await zipOf({ 'objects/Cfg__mdt.object': obj(field('A__c', 10) + field('B__c', 20)) }, { CustomObject: ['Cfg__mdt'] })))
        .status,
    ).toBe('Succeeded');
    // what SDR sends for `-m CustomField:Cfg__mdt.B__c`: the object file with only that field, and only the child in package.xml
    const r = await deploy(
      await zipOf(
        { 'objects/Cfg__mdt.object': `<CustomObject ${MD}>${field('B__c', 99)}</CustomObject>` },
        { CustomField: ['Cfg__mdt.B__c'] },
      ),
    );
    expect(failures(r)).toEqual([]);
    const fields = getCustomObject(platform.db, t.org.id, 'Cfg__mdt')!.fields.map((f) => `${f.name}:${f.length}`);
    expect(fields).toEqual(['A__c:10', 'B__c:99']);
  });
});

describe('Settings', () => {
  it('stores deployed settings as plain values for the platform to read (e.g. the session timeout)', async () => {
    const r = await deploy(
      await zipOf(
        {
          'settings/Security.settings': `<?xml version="1.0" encoding="UTF-8"?><SecuritySettings ${MD}><sessionSettings><sessionTimeout>TwoHours</sessionTimeout></sessionSettings></SecuritySettings>`,
        },
        { Settings: ['Security'] },
      ),
    );
    expect(failures(r)).toEqual([]);
    expect(getSettings(platform.db, t.org.id, 'Security')).toEqual({ sessionSettings: { sessionTimeout: 'TwoHours' } });
    const wrongRoot = await deploy(await zipOf({ 'settings/Security.settings': `<SharingSettings ${MD}/>` }, { Settings: ['Security'] }));
    expect(failures(wrongRoot)[0]).toMatch(/expected root element SecuritySettings but found SharingSettings/);
  });
});
