/**
 * `verify` for `--objects`/`--providers` (issue 20): A asks every source org for every exposed object
 * through B's RecordsResource, as the App page does, each answer checked against what B holds.
 */
import { ToolError } from '../core/ToolError.ts';
import { debugValue, query, runAnonymousApex } from './orgOps.ts';
import { OBJECTS_PERMSET } from './renderRemoteRecords.ts';
import type { OrgRef, SetupState } from './setupState.ts';

/** The seed's connection record is `Default`; source orgs 2 and 3 get `Provider_2`, `Provider_3`. */
export const connectionRecord = (index: number) => (index === 0 ? 'Default' : `Provider_${index + 1}`);

/** Every source org, the first included. */
export function providerTargets(state: SetupState, providerAlias: string): { alias: string; org: OrgRef }[] {
  return [{ alias: providerAlias, org: state.provider! }, ...(state.extraProviders ?? []).map((e) => ({ alias: e.org.alias, org: e.org }))];
}

export interface RemoteRecordsCheck {
  connection: string;
  source: string;
  object: string;
  ok: boolean;
  records: number;
  ms: number;
  detail?: string;
}

/** Anonymous Apex in A: a token for the connection, then one page of each object from B's RecordsResource. */
function verifyScript(connection: string, objects: string[]): string {
  const calls = objects
    .map(
      (object) => `{
  HttpRequest r = new HttpRequest();
  r.setEndpoint(t.instanceUrl + '/services/apexrest/records/v1/${object}?limit=1');
  r.setMethod('GET');
  r.setTimeout(60000);
  r.setHeader('Authorization', 'Bearer ' + t.accessToken);
  HttpResponse res = new Http().send(r);
  System.debug(LoggingLevel.ERROR, 'VERIFY_RECORDS_${object} ' + res.getStatusCode() + ' ' + res.getBody());
}`,
    )
    .join('\n');
  return `OrgBAccountsClient.Settings s = OrgBAccountsClient.loadSettings('${connection}');
Jwt.AccessToken t = new Jwt(s.loginUrl, s.consumerKey, s.username, s.certificateName).requestAccessToken();
${calls}`;
}

/** Every connection asked for every object, as the page will; a source without rows of an object is fine only when B has none. */
export async function verifyRemoteRecords(state: SetupState, consumerAlias: string, providerAlias: string): Promise<RemoteRecordsCheck[]> {
  const objects = state.remoteRecords?.objects.map((o) => o.name) ?? [];
  if (!objects.length) return [];
  const targets = providerTargets(state, providerAlias);
  // One source org at a time: each check holds an Apex transaction in A while it waits for the source org's
  // Apex REST, which needs a transaction of its own (on the local platform, another Apex worker).
  const checks: RemoteRecordsCheck[][] = [];
  for (const [i, target] of targets.entries()) {
    checks.push(
      await (async () => {
        const connection = connectionRecord(i);
        const started = performance.now();
        const run = await runAnonymousApex(consumerAlias, verifyScript(connection, objects));
        const ms = Math.round(performance.now() - started);
        return Promise.all(
          objects.map(async (object): Promise<RemoteRecordsCheck> => {
            const base = { connection, source: target.alias, object, ms };
            if (!run.success)
              return { ...base, ok: false, records: 0, detail: run.exceptionMessage ?? run.compileProblem ?? 'the verify script failed' };
            const line = debugValue(run.logs, `VERIFY_RECORDS_${object}`) ?? '';
            const status = Number(line.split(' ')[0]);
            const body = line.slice(line.indexOf(' ') + 1);
            if (status !== 200)
              return { ...base, ok: false, records: 0, detail: `${target.alias} answered ${status || 'nothing'}: ${body}` };
            let records: number;
            try {
              records = ((JSON.parse(body) as { records?: unknown[] }).records ?? []).length;
            } catch {
              return {
                ...base,
                ok: false,
                records: 0,
                detail: `${target.alias} answered 200 with a body that is not RecordsResource's JSON: ${body.slice(0, 200)}`,
              };
            }
            const inB = (await query<{ Id: string }>(target.alias, `SELECT Id FROM ${object} LIMIT 1`)).length;
            return {
              ...base,
              ok: records > 0 || inB === 0,
              records,
              detail: records === 0 && inB > 0 ? `${target.alias} has ${object} rows but A got none` : undefined,
            };
          }),
        );
      })(),
    );
  }
  return checks.flat();
}

/** The verify result as an error naming each failed pair, or nothing. */
export function remoteRecordsFailure(checks: RemoteRecordsCheck[]): ToolError | undefined {
  const bad = checks.filter((c) => !c.ok);
  if (!bad.length) return undefined;
  return new ToolError(`A could not read ${bad.map((c) => `${c.object} from ${c.source}`).join(', ')}.`, 'RemoteRecordsFailed', [
    ...bad.map((c) => `${c.connection} (${c.source}) ${c.object}: ${c.detail}`),
    `Exposed objects are ${'Exposed_Object__mdt'} records in each source org; the integration user reads them through ${OBJECTS_PERMSET}. Re-run setup:orgs with the same --objects to render both again.`,
  ]);
}
