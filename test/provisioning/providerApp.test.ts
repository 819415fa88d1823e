import { describe, expect, it } from 'vitest';
import { existingApp, type AppOps } from '../../tools/provisioning/providerApp.ts';

const settingsFile = (key: string) =>
  new Map([
    [
      'OrgA_Account_Reader_glbloauth.ecaGlblOauth-meta.xml',
      Buffer.from(`<ExtlClntAppGlobalOauthSettings><consumerKey>${key}</consumerKey></ExtlClntAppGlobalOauthSettings>`),
    ],
  ]);

function ops(list: AppOps['list'], retrieve: AppOps['retrieve'] = async () => new Map()) {
  const calls: string[] = [];
  return {
    calls,
    ops: {
      list: async (alias: string, type: string) => (calls.push(`list ${type}`), list(alias, type)),
      retrieve: async (alias: string, member: string) => (calls.push(`retrieve ${member}`), retrieve(alias, member)),
    } satisfies AppOps,
  };
}

describe("B's app existence", () => {
  it('lists ExternalClientApplication (or ConnectedApp) to decide, and retrieves nothing when the app is absent', async () => {
    const eca = ops(async () => ['Other_App']);
    expect(await existingApp('orgb', 'eca', eca.ops)).toEqual({ exists: false });
    expect(eca.calls).toEqual(['list ExternalClientApplication']);
    const ca = ops(async () => []);
    expect(await existingApp('orgb', 'connected-app', ca.ops)).toEqual({ exists: false });
    expect(ca.calls).toEqual(['list ConnectedApp']);
  });

  it('finds the app by listing and reads its key when B shows it', async () => {
    const shown = ops(
      async () => ['OrgA_Account_Reader'],
      async () => settingsFile('3MVGkey'),
    );
    expect(await existingApp('orgb', 'eca', shown.ops)).toEqual({ exists: true, consumerKey: '3MVGkey' });
  });

  it('keeps "exists" when the key cannot be read (no access to consumer secrets)', async () => {
    const hidden = ops(
      async () => ['OrgA_Account_Reader'],
      async () => {
        throw new Error('INSUFFICIENT_ACCESS: Allow Access to OAuth Consumer Secrets via Metadata API');
      },
    );
    expect(await existingApp('orgb', 'eca', hidden.ops)).toEqual({ exists: true });
  });

  it('fails on a failed listing instead of reading it as absent (which would send the consumer key again)', async () => {
    const broken = ops(async () => {
      throw new Error('INVALID_SESSION_ID: Session expired or invalid');
    });
    await expect(existingApp('orgb', 'eca', broken.ops)).rejects.toMatchObject({
      name: 'AppCheckFailed',
      message: expect.stringContaining('INVALID_SESSION_ID'),
    });
    expect(broken.calls).toEqual(['list ExternalClientApplication']);
  });
});
