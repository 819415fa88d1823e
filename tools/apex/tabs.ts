/**
 * What `Schema.describeTabs()` returns (Apex Reference, "DescribeTabSetResult Class", "DescribeTabResult
 * Class", "DescribeIconResult Class", "DescribeColorResult Class"; SOAP API, "describeTabs()"): one tab set
 * per app the user sees, each with its tabs, their icons (theme3 Classic images, theme4 Lightning images
 * and SVG) and colors. The org's apps are a standard Sales app and the apps its metadata deploys
 * (CustomApplication, with CustomTab for custom tabs), read here from their metadata XML.
 */
import type { TabSetDescribe, TabDescribe } from './host.ts';

/** An app as its metadata declares it: label, description and tab names (`standard-Account`, `Thing__c`, `My_Page`). */
export interface AppSource {
  label: string;
  description: string | null;
  tabs: string[];
}

/** A custom tab as its metadata declares it. */
export interface TabSource {
  name: string;
  label: string | null;
  /** `Custom11: Star`: the custom icon the tab shows. */
  motif: string | null;
  customObject: boolean;
}

/**
 * Standard tabs: tab name → object (null for a tab of no object), plural label, URL path, Lightning icon name and
 * color. A tab of no object has no sObject name: ActionPlansV4's tests, which pass on Salesforce, match
 * `name.endsWithIgnoreCase(tab.getSobjectName())` and expect the Home tab not to match. The icon
 * names are the Lightning Design System's standard icons; the colors are unverified.
 */
const STANDARD: Record<string, [string | null, string, string, string, string]> = {
  home: [null, 'Home', 'home/home.jsp', 'home', '4BC076'],
  account: ['Account', 'Accounts', '001/o', 'account', '7F8DE1'],
  contact: ['Contact', 'Contacts', '003/o', 'contact', 'A094ED'],
  lead: ['Lead', 'Leads', '00Q/o', 'lead', 'F88962'],
  opportunity: ['Opportunity', 'Opportunities', '006/o', 'opportunity', 'FCB95B'],
  campaign: ['Campaign', 'Campaigns', '701/o', 'campaign', 'F49756'],
  contract: ['Contract', 'Contracts', '800/o', 'contract', '6EC06E'],
  case: ['Case', 'Cases', '500/o', 'case', 'F2CF5B'],
  product2: ['Product2', 'Products', '01t/o', 'product', 'B781D3'],
  report: [null, 'Reports', '00O/o', 'report', '2ECBBE'],
  dashboard: [null, 'Dashboards', '01Z/o', 'dashboard', 'EF6E64'],
  document: ['Document', 'Documents', '015/o', 'document', 'BAAC93'],
  file: ['ContentDocument', 'Files', '069/o', 'file', 'BAAC93'],
};

/** The standard Sales app's tabs (Salesforce Help, "Standard Apps"), in its order. */
const SALES_APP: AppSource = {
  label: 'Sales',
  description: 'Manage your sales process with accounts, leads, opportunities, and more',
  tabs: ['standard-home', 'standard-Account', 'standard-Contact', 'standard-Lead', 'standard-Opportunity', 'standard-Campaign'].concat([
    'standard-Contract',
    'standard-Case',
    'standard-Product2',
    'standard-report',
    'standard-Dashboard',
    'standard-Document',
    'standard-File',
  ]),
};

const icon = (url: string, theme: string, size: number, type = 'image/png') => ({
  url,
  theme,
  width: size,
  height: size,
  contentType: type,
});

function standardTab(base: string, key: string): TabDescribe | undefined {
  const s = STANDARD[key];
  if (!s) return undefined;
  const [sobjectName, label, path, name, color] = s;
  const classic = `${base}/img/icon/${label.toLowerCase().replace(/\s+/g, '')}`;
  const lightning = `${base}/img/icon/t4v35/standard/${name}`;
  return {
    label,
    sobjectName,
    url: `${base}/${path}`,
    custom: false,
    iconUrl: `${classic}32.png`,
    miniIconUrl: `${classic}16.png`,
    icons: [
      icon(`${classic}32.png`, 'theme3', 32),
      icon(`${classic}16.png`, 'theme3', 16),
      icon(`${lightning}.svg`, 'theme4', 0, 'image/svg+xml'),
      icon(`${lightning}_60.png`, 'theme4', 60),
      icon(`${lightning}_120.png`, 'theme4', 120),
    ],
    colors: [
      { color: '236FBD', context: 'primary', theme: 'theme3' },
      { color, context: 'primary', theme: 'theme4' },
    ],
  };
}

function customTab(base: string, tab: TabSource, objectLabel: (name: string) => string | undefined): TabDescribe {
  // `Custom11: Star` → the custom11 icon
  const n = /^Custom(\d+)/i.exec(tab.motif ?? '')?.[1];
  const lightning = n ? `${base}/img/icon/t4v35/custom/custom${n}` : undefined;
  const classic = n ? `${base}/img/icon/custom51_100/${(tab.motif ?? '').split(':')[1]?.trim().toLowerCase() ?? 'custom'}` : undefined;
  return {
    label: (tab.customObject ? objectLabel(tab.name) : undefined) ?? tab.label ?? tab.name,
    sobjectName: tab.customObject ? tab.name : null,
    url: `${base}/${tab.customObject ? `lightning/o/${tab.name}/home` : `lightning/n/${tab.name}`}`,
    custom: true,
    iconUrl: classic ? `${classic}32.png` : null,
    miniIconUrl: classic ? `${classic}16.png` : null,
    icons:
      classic && lightning
        ? [
            icon(`${classic}32.png`, 'theme3', 32),
            icon(`${classic}16.png`, 'theme3', 16),
            icon(`${lightning}.svg`, 'theme4', 0, 'image/svg+xml'),
            icon(`${lightning}_60.png`, 'theme4', 60),
            icon(`${lightning}_120.png`, 'theme4', 120),
          ]
        : [],
    colors: [],
  };
}

/** The tab sets of an org whose metadata deploys `apps` and `tabs`; the standard Sales app comes first and is selected. */
export function describeTabSets(
  base: string,
  apps: AppSource[],
  tabs: TabSource[],
  objectLabel: (name: string) => string | undefined = () => undefined,
): TabSetDescribe[] {
  const byName = new Map(tabs.map((t) => [t.name.toLowerCase(), t]));
  return [SALES_APP, ...apps].map((app, i) => ({
    label: app.label,
    description: app.description,
    namespace: null,
    logoUrl: `${base}/img/seasonLogos/logo.png`,
    selected: i === 0,
    tabs: app.tabs.flatMap((name) => {
      const std = /^standard-(.+)$/i.exec(name);
      if (std) {
        const t = standardTab(base, std[1].toLowerCase());
        return t ? [t] : [];
      }
      const own = byName.get(name.toLowerCase());
      return own ? [customTab(base, own, objectLabel)] : [];
    }),
  }));
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1]?.trim() ?? null;

/** An app's metadata (`applications/X.app-meta.xml`, or `applications/X.app` of the Metadata API format). */
export function readApp(xml: string): AppSource | undefined {
  const label = tag(xml, 'label');
  if (!label) return undefined;
  return { label, description: tag(xml, 'description'), tabs: [...xml.matchAll(/<tabs>([^<]+)<\/tabs>/g)].map((m) => m[1].trim()) };
}

/** A custom tab's metadata (`tabs/X.tab-meta.xml`, or `tabs/X.tab`). */
export function readTab(name: string, xml: string): TabSource {
  return { name, label: tag(xml, 'label'), motif: tag(xml, 'motif'), customObject: tag(xml, 'customObject') === 'true' };
}
