/**
 * A package directory in the Metadata API's format (an old `src` folder: objects/X.object,
 * labels/CustomLabels.labels, customMetadata/T.R.md) reads as the source format: issue 18, where
 * SalesforceFoundation/Volunteers-for-Salesforce's custom settings were "not supported".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decomposeObject, sourceFormatFiles, topLevelElements } from '../../tools/apex/metadataFormat.ts';
import { projectOrg } from '../../tools/local-platform/apex/projectOrg.ts';
import { runTests } from '../../tools/apex/index.ts';
import { failuresOf } from './helpers.ts';

const SRC = join(import.meta.dirname, 'mdapi18', 'src');

describe('the Metadata API format in a package directory', () => {
  it('splits an object file into its source-format files, by top-level element only', () => {
    const parts = decomposeObject('Contact', readFileSync(join(SRC, 'objects', 'Contact.object'), 'utf8'));
    expect([...parts.keys()].sort()).toEqual([
      'objects/Contact/Contact.object-meta.xml',
      'objects/Contact/compactLayouts/Mdapi_Compact.compactLayout-meta.xml',
      'objects/Contact/fields/Availability__c.field-meta.xml',
    ]);
    const field = parts.get('objects/Contact/fields/Availability__c.field-meta.xml')!;
    expect(field).toMatch(/^<\?xml[^>]*>\n<CustomField xmlns="http:\/\/soap.sforce.com\/2006\/04\/metadata">/);
    expect(field).toContain('<fullName>Weekends</fullName>');
    // the compact layout's own <fields> elements stay inside it
    expect(parts.get('objects/Contact/compactLayouts/Mdapi_Compact.compactLayout-meta.xml')).toContain('<fields>Email</fields>');
  });

  it('keeps the object-level elements in the object file and skips comments', () => {
    const parts = decomposeObject('Mdapi_Shift__c', readFileSync(join(SRC, 'objects', 'Mdapi_Shift__c.object'), 'utf8'));
    expect([...parts.keys()].filter((k) => k.includes('/fields/'))).toEqual([
      'objects/Mdapi_Shift__c/fields/Contact__c.field-meta.xml',
      'objects/Mdapi_Shift__c/fields/Hours__c.field-meta.xml',
    ]);
    const own = topLevelElements(parts.get('objects/Mdapi_Shift__c/Mdapi_Shift__c.object-meta.xml')!);
    expect(own.root).toBe('CustomObject');
    expect(own.children.map((c) => c.name)).toEqual(['deploymentStatus', 'label', 'nameField', 'pluralLabel', 'sharingModel']);
  });

  it('names XML-only components as the source format does and leaves package.xml alone', () => {
    const files = sourceFormatFiles([
      join(SRC, 'labels', 'CustomLabels.labels'),
      join(SRC, 'package.xml'),
      join(SRC, 'classes', 'MdapiFormatTest.cls'),
    ]);
    expect(files[0]).toMatch(/\/labels\/CustomLabels\.labels-meta\.xml$/);
    expect(readFileSync(files[0], 'utf8')).toContain('Hello from the old format');
    expect(files.slice(1)).toEqual([join(SRC, 'package.xml'), join(SRC, 'classes', 'MdapiFormatTest.cls')]);
  });

  it("runs a project's tests against the objects, fields, labels and records of its metadata-format files", async () => {
    const r = await runTests(projectOrg([SRC]).host);
    expect(r.compileErrors).toEqual([]);
    expect(failuresOf(r)).toEqual([]);
    expect(r.tests.map((t) => t.methodName).sort()).toEqual([
      'customObjectAndStandardObjectFieldsFromObjectFiles',
      'hierarchyCustomSettingFromAnObjectFile',
      'labelsAndCustomMetadataRecordsFromMetadataFiles',
    ]);
  }, 60_000);
});
