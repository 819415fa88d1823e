/**
 * Salesforce compiles each LWC file when a bundle is deployed and refuses the bundle when one does not
 * compile (an LWC1xxx error). The same compiler checks each .js, .html and .css file here, file by file,
 * which takes milliseconds; the full bundle (imports, base components) is built later for the tab page.
 * The wording Salesforce wraps around the compiler's message is unverified: we pass the compiler's own
 * first line, with the file's line and column.
 */
import { createRequire } from 'node:module';
import type { Problem } from '../metadataXml.ts';

const COMPILED = /\.(js|html|css)$/;

// Loaded on the first LWC deploy (half a second): most platform starts never deploy one.
let compiler: typeof import('@lwc/compiler') | undefined;
const lwcCompiler = () => (compiler ??= createRequire(import.meta.url)('@lwc/compiler') as typeof import('@lwc/compiler'));

export function lwcCompileProblems(bundleName: string, files: Map<string, Buffer>): Problem[] {
  const problems: Problem[] = [];
  for (const [path, content] of files) {
    // Jest tests are not part of what Salesforce compiles (.forceignore keeps them out of deploys).
    if (!COMPILED.test(path) || path.includes('/__tests__/')) continue;
    const file = path.slice(path.lastIndexOf('/') + 1);
    try {
      lwcCompiler().transformSync(content.toString('utf8'), file, { namespace: 'c', name: bundleName });
    } catch (e) {
      const err = e as { message?: string; location?: { line?: number; column?: number } };
      // Babel prefixes the file with the working directory; the path is the server's, not the user's.
      const message = String(err.message ?? e)
        .split('\n')[0]
        .replaceAll(`${process.cwd()}/`, '');
      problems.push({ problem: message, fileName: path, lineNumber: err.location?.line, columnNumber: err.location?.column });
    }
  }
  return problems;
}
