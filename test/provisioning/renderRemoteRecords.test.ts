/** What --objects renders (tools/provisioning/renderRemoteRecords.ts), parsed back as the Metadata API would read it. */
import { describe, expect, it } from 'vitest';
import { exposedObject, renderConsumerPage, renderProviderObjects } from '../../tools/provisioning/renderRemoteRecords.ts';
import { renderConsumerConfig } from '../../tools/provisioning/render.ts';
import { parseXml } from '../../tools/local-platform/metadata/metadataXml.ts';

const field = (
  name: string,
  extra: Partial<{
    type: string;
    nillable: boolean;
    createable: boolean;
    updateable: boolean;
    calculated: boolean;
    nameField: boolean;
  }> = {},
) => ({
  name,
  type: 'string',
  nillable: true,
  createable: true,
  updateable: true,
  calculated: false,
  ...extra,
});
const contact = [
  field('Id', { type: 'id', nillable: false, createable: false, updateable: false }),
  field('LastName', { nillable: false }),
  field('Name', { createable: false, updateable: false, nameField: true }),
  field('Title'),
  field('Email', { type: 'email' }),
  field('Phone', { type: 'phone' }),
  field('CreatedDate', { type: 'datetime', nillable: false, createable: false, updateable: false }),
];

describe('renderRemoteRecords', () => {
  it('exposes the default fields B has; only fields that can carry field-level security get a permission', () => {
    expect(exposedObject('Contact', contact)).toEqual({
      name: 'Contact',
      fields: ['Name', 'Title', 'Email', 'Phone', 'CreatedDate'],
      permissionable: ['Title', 'Email', 'Phone'],
    });
    expect(
      exposedObject('Widget__c', [field('Name', { nameField: true }), field('CreatedDate', { createable: false, updateable: false })]),
    ).toMatchObject({ fields: ['Name', 'CreatedDate'], permissionable: [] });
  });

  it("renders B's Exposed_Object__mdt records and the integration user's read", () => {
    const files = renderProviderObjects([exposedObject('Contact', contact), { name: 'Widget__c', fields: ['Name'], permissionable: [] }]);
    const record = parseXml(files['main/default/customMetadata/Exposed_Object.Contact.md-meta.xml']!).CustomMetadata as {
      values: { field: string; value: { '#text': string } }[];
    };
    expect(Object.fromEntries(record.values.map((v) => [v.field, v.value['#text']]))).toEqual({
      Object_Api_Name__c: 'Contact',
      Fields__c: 'Name,Title,Email,Phone,CreatedDate',
      Max_Page_Size__c: '200',
      Default_Order_By__c: 'CreatedDate DESC',
    });
    expect(files['main/default/customMetadata/Exposed_Object.Widget.md-meta.xml']).toContain(
      '<value xsi:type="xsd:string">Name ASC</value>',
    );
    const ps = parseXml(files['main/default/permissionsets/Remote_Records_Objects.permissionset-meta.xml']!).PermissionSet as Record<
      string,
      unknown
    >;
    expect((ps.objectPermissions as { object: string; allowRead: string }[]).map((p) => [p.object, p.allowRead])).toEqual([
      ['Contact', 'true'],
      ['Widget__c', 'true'],
    ]);
    expect((ps.fieldPermissions as { field: string }[]).map((p) => p.field)).toEqual(['Contact.Title', 'Contact.Email', 'Contact.Phone']);
  });

  it("renders A's App page: one remoteRecords per object over every connection, its tab and viewer permission set", () => {
    const files = renderConsumerPage({
      connections: ['Default', 'Provider_2'],
      objects: [
        { name: 'Account', fields: ['Name'], permissionable: [] },
        { name: 'Contact', fields: ['Name', 'Email'], permissionable: [] },
      ],
    });
    const page = parseXml(files['main/default/flexipages/Remote_Records.flexipage-meta.xml']!).FlexiPage as {
      type: string;
      flexiPageRegions: {
        itemInstances: { componentInstance: { componentName: string; componentInstanceProperties: { name: string; value: string }[] } }[];
      };
    };
    expect(page.type).toBe('AppPage');
    const instances = page.flexiPageRegions.itemInstances.map((i) => [
      i.componentInstance.componentName,
      Object.fromEntries(i.componentInstance.componentInstanceProperties.map((p) => [p.name, p.value])),
    ]);
    expect(instances).toEqual([
      [
        'c:remoteRecords',
        {
          connections: 'Default,Provider_2',
          fields: 'Name',
          sourceObject: 'Account',
          pageSize: '10',
          title: 'Account records from 2 source orgs',
        },
      ],
      [
        'c:remoteRecords',
        {
          connections: 'Default,Provider_2',
          fields: 'Name,Email',
          sourceObject: 'Contact',
          pageSize: '10',
          title: 'Contact records from 2 source orgs',
        },
      ],
    ]);
    expect(files['main/default/tabs/Remote_Records.tab-meta.xml']).toContain('<flexiPage>Remote_Records</flexiPage>');
    expect(files['main/default/permissionsets/Remote_Records_Viewer.permissionset-meta.xml']).toContain('<tab>Remote_Records</tab>');
  });

  it("renders a further source org's connection record and remote sites under their own names", () => {
    const files = renderConsumerConfig(
      {
        loginUrl: 'http://127.0.0.1:7601',
        instanceUrl: 'http://127.0.0.1:7601',
        consumerKey: 'k',
        username: 'u@b2',
        certificateName: 'OrgA_JWT_Signing',
      },
      { record: 'Provider_2', label: 'orgb-provider-2', sitePrefix: 'Org_B_2' },
    );
    expect(Object.keys(files).sort()).toEqual([
      'main/default/customMetadata/Org_B_Connection.Provider_2.md-meta.xml',
      'main/default/remoteSiteSettings/Org_B_2_Login.remoteSite-meta.xml',
    ]);
    expect(files['main/default/customMetadata/Org_B_Connection.Provider_2.md-meta.xml']).toContain('<label>orgb-provider-2</label>');
  });
});
