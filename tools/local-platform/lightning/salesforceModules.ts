/**
 * The `@salesforce/*` modules a component may import, as a rollup plugin of virtual modules:
 * - `@salesforce/apex/Class.method` → a callable wire adapter posting to the org's /aura (client/apex.js);
 * - `@salesforce/apexContinuation/Class.method` → the same for a method returning a Continuation (one at a time per page);
 * - `@salesforce/apex` → refreshApex, getSObjectValue;
 * - `@salesforce/user/Id`, `@salesforce/user/isGuest` → the session's user (client/context.js);
 * - `@salesforce/label/c.Name` → the org's deployed custom label (a missing one fails, as a deploy would);
 * - `@salesforce/schema/Object.Field` → `{ objectApiName, fieldApiName }`.
 * Everything else goes to the LWC resolver (lightning-base-components maps the i18n and gate stubs its
 * own components import); what nobody provides fails the compile with the import's name.
 */
import { join } from 'node:path';
import type { Plugin } from 'rollup';

export interface OrgModuleLookups {
  /** The value of the org's custom label, or undefined. */
  label(name: string): string | undefined;
}

const PREFIX = '\0lp-sf:';
const HANDLED = /^@salesforce\/(apex(\/.*)?|apexContinuation\/.*|user\/(Id|isGuest)|label\/c\..+|schema\/.+)$/;

export function salesforceModules(lookups: OrgModuleLookups, clientDir: string): Plugin {
  const apexRuntime = JSON.stringify(join(clientDir, 'apex.js'));
  const context = JSON.stringify(join(clientDir, 'context.js'));
  return {
    name: 'lp-salesforce-modules',
    resolveId(source) {
      return HANDLED.test(source) ? PREFIX + source : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const source = id.slice(PREFIX.length);
      if (source === '@salesforce/apex') return `export { refreshApex, getSObjectValue } from ${apexRuntime};`;
      const apex = /^@salesforce\/(apex|apexContinuation)\/(?:\w+\.)?(\w+)\.(\w+)$/.exec(source);
      if (apex)
        return `import { apexMethod } from ${apexRuntime};\nexport default apexMethod(${JSON.stringify(apex[2])}, ${JSON.stringify(apex[3])}, ${apex[1] === 'apexContinuation'});`;
      if (/^@salesforce\/apex(Continuation)?\//.test(source))
        this.error(`Invalid Apex import ${source}: use @salesforce/${source.split('/')[1]}/Class.method`);
      if (source === '@salesforce/user/Id') return `import { context } from ${context};\nexport default context.userId;`;
      if (source === '@salesforce/user/isGuest') return 'export default false;';
      if (source.startsWith('@salesforce/label/c.')) {
        const name = source.slice('@salesforce/label/c.'.length);
        const value = lookups.label(name);
        // Salesforce refuses the deploy of a component importing a label the org lacks.
        if (value === undefined)
          this.error(`The org has no custom label ${name} (imported as ${source}). Deploy it in labels/CustomLabels.labels-meta.xml.`);
        return `export default ${JSON.stringify(value)};`;
      }
      const [objectApiName, ...rest] = source.slice('@salesforce/schema/'.length).split('.');
      return `export default ${JSON.stringify(rest.length ? { objectApiName, fieldApiName: rest.join('.') } : { objectApiName })};`;
    },
  };
}
