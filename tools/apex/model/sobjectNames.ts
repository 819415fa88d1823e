/** Which names are sObject types: the check phase and the runtime ask the same question. */
import { isStandardSObject } from './catalogue.ts';

export const STANDARD_SOBJECTS = new Set(
  (
    'Account Contact Lead Opportunity Case User Profile Organization Task Event Campaign CampaignMember Product2 Pricebook2 ' +
    'PricebookEntry Order OrderItem Asset Contract Note Attachment ContentVersion ContentDocument ContentDocumentLink Group ' +
    'GroupMember PermissionSet PermissionSetAssignment RecordType ApexClass ApexTrigger AsyncApexJob CronTrigger EmailMessage ' +
    'UserRole Document Folder AggregateResult OpportunityLineItem OpportunityContactRole AccountContactRelation ' +
    'Certificate NamedCredential RemoteProxy ExternalDataSource CustomPermission SetupEntityAccess FeedItem Topic Period ' +
    'BusinessHours Holiday Entitlement ServiceContract WorkOrder Quote QuoteLineItem Individual ConnectedApplication ' +
    'ObjectPermissions FieldPermissions PermissionSetGroup PermissionSetLicense PermissionSetLicenseAssign CaseComment ' +
    // tools/data/setupObjects.ts
    'QueueSobject UserLicense UserRecordAccess ProcessDefinition ProcessInstance ProcessInstanceWorkitem ContactPointAddress ContactPointPhone ' +
    'ContactPointEmail QuickText OpportunityFieldHistory WorkOrderLineItem StaticResource PlatformCachePartition CronJobDetail BatchApexErrorEvent'
  )
    .split(' ')
    .map((s) => s.toLowerCase()),
);

const sobjectNames = new Map<string, boolean>();

/** An sObject type name: the local schema's, a custom one (`X__c`, `X__mdt`…), or any standard one Salesforce has (model/catalogue.ts). */
export function isSObjectName(name: string): boolean {
  let known = sobjectNames.get(name);
  if (known === undefined) {
    const n = name.toLowerCase().replace(/^schema\./, '');
    // `Rollup__mdt.CalcItemText__c` is a field of a type, never a type itself; change events: AccountChangeEvent,
    // Thing__ChangeEvent (Change Data Capture Developer Guide, "Change Event Object Name")
    known =
      !n.includes('.') &&
      (STANDARD_SOBJECTS.has(n) ||
        /__(c|mdt|e|x|b|share|history|feed|changeevent)$/.test(n) ||
        /^[a-z]\w*changeevent$/.test(n) ||
        n === 'sobject' ||
        isStandardSObject(n));
    if (sobjectNames.size < 10_000) sobjectNames.set(name, known);
  }
  return known;
}
