/**
 * Isolation figure: the Dev Hub's token endpoint latency (real JWT bearer grant, RS256) while a scratch
 * org B runs `while (true) {}` in anonymous Apex until its 10 s CPU limit, next to the same endpoint on
 * an idle platform. Before Apex ran on worker threads the busy case waited for the whole 10 s.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../local-platform/http/server.ts';
import { issueToken } from '../local-platform/oauth/tokens.ts';
import { getOrg } from '../data/store.ts';
import { jwtAssertion, median } from './figures.ts';

const SAMPLES = 15;
const V = '/services/data/v66.0';

export async function run(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'bench-iso-'));
  const p = await startPlatform({ home, port: 0 });
  try {
    const adminId = p.records.find(p.devHub.id, 'User', 'Username', p.adminUsername)!['Id'] as string;
    const hubToken = issueToken(p.db, 'access', p.devHub.id, adminId, undefined, 3600);
    const json = { Authorization: `Bearer ${hubToken}`, 'Content-Type': 'application/json' };
    const c = (await (
      await fetch(`${p.url}${V}/sobjects/ScratchOrgInfo`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          Edition: 'Developer',
          OrgName: 'B',
          ConnectedAppConsumerKey: p.cliApp.clientId,
          ConnectedAppCallbackUrl: 'http://localhost:1717/OauthRedirect',
        }),
      })
    ).json()) as { id: string };
    const soi = (await (await fetch(`${p.url}${V}/sobjects/ScratchOrgInfo/${c.id}`, { headers: json })).json()) as {
      ScratchOrg: string;
      SignupUsername: string;
    };
    const b = getOrg(p.db, soi.ScratchOrg)!;
    const bToken = issueToken(
      p.db,
      'access',
      b.id,
      p.records.find(b.id, 'User', 'Username', soi.SignupUsername)!['Id'] as string,
      undefined,
      3600,
    );
    const form = `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:jwt-bearer')}&assertion=${jwtAssertion(p.cliApp.clientId, p.adminUsername, p.url, readFileSync(p.cliApp.keyPath, 'utf8'))}`;
    const grant = async () => {
      const t0 = performance.now();
      const r = await fetch(`${p.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      await r.text();
      if (r.status !== 200) throw new Error(`token endpoint answered ${r.status}`);
      return performance.now() - t0;
    };
    const idle: number[] = [];
    for (let i = 0; i < SAMPLES; i++) idle.push(await grant());
    const busyStarted = performance.now();
    const soap = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://soap.sforce.com/2006/08/apex"><soapenv:Header><a:SessionHeader><a:sessionId>${bToken}</a:sessionId></a:SessionHeader></soapenv:Header><soapenv:Body><a:executeAnonymous><a:apexcode>Integer i = 0; while (true) { i++; }</a:apexcode></a:executeAnonymous></soapenv:Body></soapenv:Envelope>`;
    let settled = false;
    const busy = fetch(`${b.instanceUrl}/services/Soap/s/66.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: soap,
    })
      .then((r) => r.text())
      .finally(() => (settled = true));
    while (p.apexBusy() === 0 && !settled) await new Promise((r) => setTimeout(r, 10));
    if (settled) throw new Error(`B's transaction ended before it was seen running: ${await busy}`);
    const during: number[] = [];
    for (let i = 0; i < SAMPLES; i++) during.push(await grant());
    const stillBusy = p.apexBusy() === 1;
    const text = await busy;
    const busyMs = performance.now() - busyStarted;
    console.log(
      `Dev Hub JWT grant, idle platform:          median ${median(idle).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms (${SAMPLES} grants)`,
    );
    console.log(
      `Dev Hub JWT grant, B in while(true) Apex:  median ${median(during).toFixed(1)} ms, max ${Math.max(...during).toFixed(1)} ms (${SAMPLES} grants; B still running after them: ${stillBusy})`,
    );
    console.log(
      `B's busy transaction: ${(busyMs / 1000).toFixed(1)} s, ended with "${/<exceptionMessage>([^<]*)</.exec(text)?.[1] ?? '?'}"`,
    );
  } finally {
    await p.close();
    rmSync(home, { recursive: true, force: true });
  }
}
