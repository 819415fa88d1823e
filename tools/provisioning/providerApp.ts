/**
 * Whether B already has the app setup deploys. Decided by listing the app's metadata type
 * (`listMetadata` ExternalClientApplication or ConnectedApp), which any admin may call; retrieving
 * `ExtlClntAppGlobalOauthSettings` instead needs the special "Allow Access to OAuth Consumer Secrets via
 * Metadata API" access and returns the secret (Metadata API "ExtlClntAppGlobalOauthSettings"). A failed
 * listing is an error, never "absent": reading it as absent would send the consumer key again, which B
 * refuses for an existing app (docs/salesforce-rules.md#consumer-key-on-create).
 */
import { ToolError } from '../core/ToolError.ts';
import { listMetadata, retrieveComponent } from './orgOps.ts';
import { APP_NAME } from './render.ts';

export type AppKind = 'eca' | 'connected-app';

export interface AppOps {
  list: (alias: string, type: string) => Promise<string[]>;
  retrieve: (alias: string, member: string) => Promise<Map<string, Buffer>>;
}

const realOps: AppOps = { list: listMetadata, retrieve: retrieveComponent };

/**
 * Whether B has the app, and its consumer key when B shows it (real orgs return the key only with the
 * access above; without it the key stays unknown, and the app still exists).
 */
export async function existingApp(alias: string, kind: AppKind, ops: AppOps = realOps): Promise<{ exists: boolean; consumerKey?: string }> {
  const type = kind === 'eca' ? 'ExternalClientApplication' : 'ConnectedApp';
  let names: string[];
  try {
    names = await ops.list(alias, type);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolError(
      `Could not tell whether ${alias} has the app ${APP_NAME} (listMetadata ${type} failed: ${reason}).`,
      'AppCheckFailed',
      [
        `Check that the user of ${alias} may use the Metadata API (Modify Metadata or Customize Application), then run the command again.`,
        'Nothing was deployed to B: its app, if it exists, keeps its consumer key.',
      ],
    );
  }
  if (!names.some((n) => n.toLowerCase() === APP_NAME.toLowerCase())) return { exists: false };
  const member = kind === 'eca' ? `ExtlClntAppGlobalOauthSettings:${APP_NAME}_glbloauth` : `ConnectedApp:${APP_NAME}`;
  // Only the key is read here; a refusal leaves it unknown (the state file may still know it).
  const files = await ops.retrieve(alias, member).catch(() => new Map<string, Buffer>());
  for (const content of files.values()) {
    const key = /<consumerKey>([^<]+)<\/consumerKey>/.exec(content.toString('utf8'))?.[1];
    if (key) return { exists: true, consumerKey: key };
  }
  return { exists: true };
}
