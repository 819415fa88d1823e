/**
 * DescribeFieldResult.getCompoundFieldName: the compound field a component belongs to (Object Reference,
 * "Address Compound Fields", "Geolocation Compound Fields"; Apex Reference, "DescribeFieldResult Class"):
 * an address part (`MailingCity`) to its address (`MailingAddress`), a custom geolocation's
 * `Where__Latitude__s` to `Where__c`, a person's name parts (`FirstName`) to `Name`; null otherwise.
 */
import type { SObjectDescribe } from '../host.ts';

const ADDRESS_PART = /^(.*?)(Street|City|State|StateCode|PostalCode|Country|CountryCode|Latitude|Longitude|GeocodeAccuracy)$/;
const NAME_PARTS = new Set(['firstname', 'lastname', 'middlename', 'suffix', 'salutation', 'informalname']);

export function compoundFieldName(d: SObjectDescribe, field: string): string | null {
  const has = (name: string) => d.fields.some((x) => x.name.toLowerCase() === name.toLowerCase());
  const geo = /^(.+)__(Latitude|Longitude)__s$/i.exec(field);
  if (geo) return has(`${geo[1]}__c`) || has(`${geo[1]}__Longitude__s`) ? `${geo[1]}__c` : null;
  const part = ADDRESS_PART.exec(field);
  // a standard address: its street and city beside the part (Account's BillingCity, Lead's City)
  if (part && !field.endsWith('__c') && has(`${part[1]}Street`) && has(`${part[1]}City`)) return `${part[1]}Address`;
  // a person's name (Contact, Lead, User): Name is made of its parts
  if (NAME_PARTS.has(field.toLowerCase()) && has('FirstName') && has('LastName') && has('Name')) return 'Name';
  return null;
}
