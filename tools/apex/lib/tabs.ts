/**
 * Schema.describeTabs() and its results (Apex Reference, "DescribeTabSetResult Class", "DescribeTabResult
 * Class", "DescribeIconResult Class", "DescribeColorResult Class"): the apps and tabs the host describes
 * (tools/apex/tabs.ts builds them from the org's metadata). Their getters also read as properties
 * (`tab.label`, `tab.custom`), as those pages say.
 */
import './schema.ts';
import { defineNative, natives } from '../model/natives.ts';
import { NObj } from './nativeValues.ts';
import { ApexList } from '../run/values.ts';
import { unsupported } from '../run/exceptions.ts';
import type { TabDescribe, TabSetDescribe } from '../host.ts';

const ref = (name: string) => ({ name, args: [], array: 0 });
const get = (name: string) => (f: unknown, o: NObj) => o.get(name);
const list = (type: string, items: NObj[]) => new ApexList(items, ref(type));

function obj(type: string, values: Record<string, unknown>): NObj {
  const o = new NObj(type);
  for (const [k, v] of Object.entries(values)) o.set(k, v);
  return o;
}

function tabResult(t: TabDescribe): NObj {
  return obj('Schema.DescribeTabResult', {
    label: t.label,
    sobjectName: t.sobjectName,
    url: t.url,
    custom: t.custom,
    iconUrl: t.iconUrl,
    miniIconUrl: t.miniIconUrl,
    icons: list(
      'Schema.DescribeIconResult',
      t.icons.map((i) => obj('Schema.DescribeIconResult', { ...i })),
    ),
    colors: list(
      'Schema.DescribeColorResult',
      t.colors.map((c) => obj('Schema.DescribeColorResult', { ...c })),
    ),
  });
}

function tabSetResult(s: TabSetDescribe): NObj {
  return obj('Schema.DescribeTabSetResult', {
    label: s.label,
    description: s.description,
    namespace: s.namespace,
    logoUrl: s.logoUrl,
    selected: s.selected,
    tabs: list('Schema.DescribeTabResult', s.tabs.map(tabResult)),
  });
}

natives.get('schema')!.statics!['describetabs'] = async (f, _a, site) => {
  const host = f.tx.host;
  if (!host.describeTabs) return unsupported(f, 'Schema.describeTabs (this org host has no app metadata)', site);
  const sets = await f.tx.hostCall(() => host.describeTabs!());
  return list('Schema.DescribeTabSetResult', sets.map(tabSetResult));
};

defineNative(
  {
    name: 'Schema.DescribeTabSetResult',
    methods: {
      'String getDescription()': get('description'),
      'String getLabel()': get('label'),
      'String getLogoUrl()': get('logoUrl'),
      'String getNamespace()': get('namespace'),
      'List<Schema.DescribeTabResult> getTabs()': get('tabs'),
      'Boolean isSelected()': get('selected'),
    },
  },
  'DescribeTabSetResult',
);

defineNative(
  {
    name: 'Schema.DescribeTabResult',
    methods: {
      'List<Schema.DescribeColorResult> getColors()': get('colors'),
      'String getIconUrl()': get('iconUrl'),
      'List<Schema.DescribeIconResult> getIcons()': get('icons'),
      'String getLabel()': get('label'),
      'String getMiniIconUrl()': get('miniIconUrl'),
      'String getSobjectName()': get('sobjectName'),
      'String getUrl()': get('url'),
      'Boolean isCustom()': get('custom'),
    },
  },
  'DescribeTabResult',
);

defineNative(
  {
    name: 'Schema.DescribeIconResult',
    methods: {
      'String getContentType()': get('contentType'),
      'Integer getHeight()': get('height'),
      'String getTheme()': get('theme'),
      'String getUrl()': get('url'),
      'Integer getWidth()': get('width'),
    },
  },
  'DescribeIconResult',
);

defineNative(
  {
    name: 'Schema.DescribeColorResult',
    methods: {
      'String getColor()': get('color'),
      'String getContext()': get('context'),
      'String getTheme()': get('theme'),
    },
  },
  'DescribeColorResult',
);
