/**
 * Visualforce dynamic components (Apex Developer Guide, "Dynamic Visualforce Components",
 * https://developer.salesforce.com/docs/atlas.en-us.pages.meta/pages/pages_dynamic_vf_components.htm):
 * `new Component.Apex.PageBlock(title = 'x')`, a project's own `Component.c.MyComponent`, their
 * attributes as properties, `childComponents` and `expressions`; any of them is an
 * `ApexPages.Component`. Apex builds and reads them; rendering them is a page's concern, which the local
 * platform does not serve. unverified: an attribute the component lacks is accepted here (Salesforce
 * refuses it: "Invalid value for property name"), as the runtime does not know Visualforce's tags.
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexList } from '../run/values.ts';

const COMPONENT = { name: 'ApexPages.Component', args: [], array: 0 };

defineNative({
  name: 'Component.*',
  openFields: true,
  construct: (f, _args, _site, type) => {
    const c = new NObj(type.name.replace(/^component\./i, 'Component.'));
    c.set('childComponents', new ApexList([], COMPONENT));
    c.set('expressions', new NObj('Component.Expressions'));
    return c;
  },
});

defineNative({ name: 'Component.Expressions', openFields: true });

defineNative({
  name: 'ApexPages.Component',
  instanceOf: (v) => v instanceof NObj && /^component\./i.test(v.typeName) && v.typeName !== 'Component.Expressions',
});
