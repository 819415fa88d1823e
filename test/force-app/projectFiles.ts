/**
 * Where the Salesforce DX sources live, for the static checks in this folder: every check walks the
 * package directories named in sfdx-project.json, so a new package directory is checked without edits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The package directories of sfdx-project.json, relative to the project root. */
export function packageDirectories(): string[] {
  const project = JSON.parse(readFileSync(path.join(projectRoot, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories: { path: string }[];
  };
  return project.packageDirectories.map((dir) => dir.path);
}

/** Every file below the package directories whose name ends with one of `suffixes` (absolute paths). */
export function sourceFiles(...suffixes: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) found.push(full);
    }
  };
  for (const dir of packageDirectories()) walk(path.join(projectRoot, dir));
  return found.sort();
}

/** A path relative to the project root, for messages. */
export function relative(file: string): string {
  return path.relative(projectRoot, file);
}
