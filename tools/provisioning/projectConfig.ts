/** Aliases and the work folder, from sfdx-project.json's `plugins.orgAToOrgB` (documented in the README). */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { projectRoot } from './sfCli.ts';

export interface ProjectConfig {
  providerAlias: string;
  consumerAlias: string;
  workDir: string;
}

export function readProjectConfig(): ProjectConfig {
  const project = JSON.parse(readFileSync(join(projectRoot, 'sfdx-project.json'), 'utf8')) as {
    plugins?: { orgAToOrgB?: Partial<ProjectConfig> };
  };
  const c = project.plugins?.orgAToOrgB ?? {};
  const workDir = process.env.ORG_A_TO_B_WORKDIR ?? c.workDir ?? '.local/setup';
  return {
    providerAlias: c.providerAlias ?? 'orgb-provider',
    consumerAlias: c.consumerAlias ?? 'orga-consumer',
    workDir: isAbsolute(workDir) ? workDir : join(projectRoot, workDir),
  };
}
