/**
 * What `--objects` and `--providers` render (issue 20): in each source org B, one Exposed_Object__mdt
 * record per object (the generic RecordsResource serves only those) and a permission set giving the
 * integration user read on the objects and fields; in A, one Org_B_Connection__mdt record per source org
 * (through render.ts's connection renderer) and an App page (FlexiPage) with one `c:remoteRecords` per
 * object, its tab, and a permission set that shows the tab.
 */
import { escapeXml, type RenderedFiles } from './render.ts';

export const EXPOSED_TYPE = 'Exposed_Object';
export const OBJECTS_PERMSET = 'Remote_Records_Objects';
export const PAGE_NAME = 'Remote_Records';
export const PAGE_VIEWER_PERMSET = 'Remote_Records_Viewer';
export const COMPONENT = 'remoteRecords';
/** Rows per source and page on the rendered page. */
export const PAGE_SIZE = 10;
/** One Continuation holds at most three requests (Apex Developer Guide, "Asynchronous Callout Limits"). */
export const MAX_PROVIDERS = 3;

/** The fields each object shows unless B's describe lacks one; other objects show their name field and CreatedDate. */
export const DEFAULT_FIELDS: Record<string, string[]> = {
  Account: ['Name', 'Industry', 'AnnualRevenue', 'NumberOfEmployees', 'CreatedDate'],
  Contact: ['Name', 'Title', 'Email', 'Phone', 'CreatedDate'],
  Opportunity: ['Name', 'StageName', 'Amount', 'CloseDate', 'CreatedDate'],
  Case: ['CaseNumber', 'Subject', 'Status', 'Priority', 'CreatedDate'],
  Lead: ['Name', 'Company', 'Status', 'Email', 'CreatedDate'],
};

/** Sample records seeded into each source org, per object, and how to tell they are there. */
export const SAMPLE_DATA: Record<string, { file: string; marker: string }> = {
  Account: { file: 'sample-accounts.json', marker: "SELECT Id FROM Account WHERE Name LIKE 'Org B Sample Account%' LIMIT 1" },
  Contact: { file: 'sample-contacts.json', marker: "SELECT Id FROM Contact WHERE Email LIKE '%@orgb.example' LIMIT 1" },
};

/** A field as B's describe shows it, enough to choose what to expose and what can carry field-level security. */
export interface DescribedField {
  name: string;
  type: string;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  calculated: boolean;
  nameField?: boolean;
}

export interface ExposedObject {
  name: string;
  fields: string[];
  /** Fields that take a field permission (not required, not system). */
  permissionable: string[];
}

const AUDIT = new Set(['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp']);

/**
 * What one object exposes, from B's describe: the default fields B has, else the name field and
 * CreatedDate. Required fields (Account.Name, Contact.LastName), system fields and compound names take no
 * field permission (reading the object makes them readable); every other field does.
 */
export function exposedObject(name: string, described: DescribedField[]): ExposedObject {
  const byName = new Map(described.map((f) => [f.name, f]));
  const wanted = DEFAULT_FIELDS[name] ?? [described.find((f) => f.nameField)?.name ?? 'Id', 'CreatedDate'];
  const fields = wanted.filter((f) => byName.has(f));
  const permissionable = fields.filter((f) => {
    const d = byName.get(f)!;
    const required = !d.nillable && d.type !== 'boolean';
    return !AUDIT.has(f) && !required && !d.nameField && (d.createable || d.updateable || d.calculated);
  });
  return { name, fields, permissionable };
}

/** `My_Thing__c` → `My_Thing`: the record's DeveloperName. */
export const exposedRecordName = (object: string) => object.replace(/__c$/, '');

const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

function cmdtRecord(label: string, values: Array<[string, string, 'string' | 'double']>): string {
  const body = values
    .map(
      ([field, value, type]) =>
        `    <values>\n        <field>${field}</field>\n        <value xsi:type="xsd:${type}">${escapeXml(value)}</value>\n    </values>`,
    )
    .join('\n');
  return `${xmlHead}<CustomMetadata ${ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n    <label>${escapeXml(label)}</label>\n    <protected>false</protected>\n${body}\n</CustomMetadata>\n`;
}

/** B's side: the Exposed_Object__mdt records and the integration user's read on them. */
export function renderProviderObjects(objects: ExposedObject[]): RenderedFiles {
  const files: RenderedFiles = {};
  for (const o of objects) {
    files[`main/default/customMetadata/${EXPOSED_TYPE}.${exposedRecordName(o.name)}.md-meta.xml`] = cmdtRecord(o.name, [
      ['Object_Api_Name__c', o.name, 'string'],
      ['Fields__c', o.fields.join(','), 'string'],
      ['Max_Page_Size__c', '200', 'double'],
      ['Default_Order_By__c', o.fields.includes('CreatedDate') ? 'CreatedDate DESC' : `${o.fields[0]} ASC`, 'string'],
    ]);
  }
  const objectPermissions = objects.map(
    (o) =>
      `    <objectPermissions>\n        <allowCreate>false</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>false</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>${escapeXml(o.name)}</object>\n        <viewAllRecords>false</viewAllRecords>\n    </objectPermissions>`,
  );
  const fieldPermissions = objects.flatMap((o) =>
    o.permissionable.map(
      (f) =>
        `    <fieldPermissions>\n        <editable>false</editable>\n        <field>${escapeXml(`${o.name}.${f}`)}</field>\n        <readable>true</readable>\n    </fieldPermissions>`,
    ),
  );
  files[`main/default/permissionsets/${OBJECTS_PERMSET}.permissionset-meta.xml`] =
    `${xmlHead}<PermissionSet ${ns}>\n    <description>Rendered by setup:orgs --objects: read on the objects and fields B exposes to Org A (${escapeXml(objects.map((o) => o.name).join(', '))}).</description>\n${fieldPermissions.join('\n')}${fieldPermissions.length ? '\n' : ''}    <hasActivationRequired>false</hasActivationRequired>\n    <label>Remote Records Objects</label>\n${objectPermissions.join('\n')}\n</PermissionSet>\n`;
  return files;
}

export interface PageInput {
  /** Org_B_Connection__mdt DeveloperNames, in order. */
  connections: string[];
  objects: ExposedObject[];
}

/** A's App page: one remoteRecords per object over every connection, its tab, and who sees the tab. */
export function renderConsumerPage(input: PageInput): RenderedFiles {
  const instances = input.objects.map((o) => {
    const props: Array<[string, string]> = [
      ['connections', input.connections.join(',')],
      ['fields', o.fields.join(',')],
      ['sourceObject', o.name],
      ['pageSize', String(PAGE_SIZE)],
      ['title', `${o.name} records from ${input.connections.length === 1 ? 'Org B' : `${input.connections.length} source orgs`}`],
    ];
    const properties = props
      .map(
        ([n, v]) =>
          `                <componentInstanceProperties>\n                    <name>${n}</name>\n                    <value>${escapeXml(v)}</value>\n                </componentInstanceProperties>`,
      )
      .join('\n');
    return `        <itemInstances>\n            <componentInstance>\n${properties}\n                <componentName>c:${COMPONENT}</componentName>\n                <identifier>c_${COMPONENT}_${exposedRecordName(o.name)}</identifier>\n            </componentInstance>\n        </itemInstances>`;
  });
  const page = `${xmlHead}<FlexiPage ${ns}>\n    <flexiPageRegions>\n${instances.join('\n')}\n        <name>main</name>\n        <type>Region</type>\n    </flexiPageRegions>\n    <masterLabel>Remote Records</masterLabel>\n    <template>\n        <name>flexipage:defaultAppHomeTemplate</name>\n    </template>\n    <type>AppPage</type>\n</FlexiPage>\n`;
  const tab = `${xmlHead}<CustomTab ${ns}>\n    <flexiPage>${PAGE_NAME}</flexiPage>\n    <label>Remote Records</label>\n    <motif>Custom57: Building Block</motif>\n</CustomTab>\n`;
  const viewer = `${xmlHead}<PermissionSet ${ns}>\n    <description>Rendered by setup:orgs --objects: shows the Remote Records page.</description>\n    <hasActivationRequired>false</hasActivationRequired>\n    <label>Remote Records Viewer</label>\n    <tabSettings>\n        <tab>${PAGE_NAME}</tab>\n        <visibility>Visible</visibility>\n    </tabSettings>\n</PermissionSet>\n`;
  return {
    [`main/default/flexipages/${PAGE_NAME}.flexipage-meta.xml`]: page,
    [`main/default/tabs/${PAGE_NAME}.tab-meta.xml`]: tab,
    [`main/default/permissionsets/${PAGE_VIEWER_PERMSET}.permissionset-meta.xml`]: viewer,
  };
}
