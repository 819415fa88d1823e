/**
 * Where the local platform lives and who its Dev Hub admin is. Apart from server.ts so that the commands
 * that only start, stop or log into the platform (daemon.ts, every setup command) do not load the whole
 * platform and its Apex runtime at start-up.
 */
import { join, resolve } from 'node:path';

export const DEFAULT_PORT = 6100;
export const DEVHUB_ADMIN = 'admin@devhub.local';

export function defaultHome(): string {
  return resolve(process.env.LOCAL_SF_HOME ?? join(process.cwd(), '.local', 'platform'));
}
