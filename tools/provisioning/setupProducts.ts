/**
 * Where each product of setup's steps lives: most in the state file (so a re-run that skips a step still
 * has what it made), the verifies' reports only for this run. `undefined` from a reader is "missing".
 */
import type { ExtraProvider, SetupState } from './setupState.ts';
import type { ProductName, Products, WiredProvider } from './setupTypes.ts';

interface Slot<K extends ProductName> {
  read(state: SetupState, run: Partial<Products>): Products[K] | undefined;
  write(state: SetupState, run: Partial<Products>, value: Products[K]): void;
}

const wired = (e: ExtraProvider): e is WiredProvider => Boolean(e.app && e.integrationUsername);

/** Kept for this run only (the verifies run every time, and what a token wait took is news only once). */
const runOnly = <K extends ProductName>(key: K, absent: Products[K] | undefined): Slot<K> => ({
  read: (_state, run) => (key in run ? run[key] : absent),
  write: (_state, run, value) => {
    run[key] = value;
  },
});

const SLOTS: { [K in ProductName]: Slot<K> } = {
  devHub: { read: (s) => s.devHub, write: (s, _r, v) => void (s.devHub = v) },
  orgs: {
    read: (s) => (s.provider && s.consumer ? { provider: s.provider, consumer: s.consumer } : undefined),
    write: (s, _r, v) => void Object.assign(s, { provider: v.provider, consumer: v.consumer }),
  },
  certificate: { read: (s) => s.certificate, write: (s, _r, v) => void (s.certificate = v) },
  integrationUser: { read: (s) => s.integrationUsername, write: (s, _r, v) => void (s.integrationUsername = v) },
  app: { read: (s) => s.app, write: (s, _r, v) => void (s.app = v) },
  // None without --providers; an entry whose app or user is not known yet is a step that did not finish.
  extraProviders: {
    read: (s) => ((s.extraProviders ?? []).every(wired) ? ((s.extraProviders ?? []) as WiredProvider[]) : undefined),
    write: (s, _r, v) => void (s.extraProviders = v),
  },
  exposed: { read: (s) => s.remoteRecords ?? null, write: (s, _r, v) => void (s.remoteRecords = v ?? undefined) },
  consumerSide: {
    // State files from before --auth and the token cache: A got the Apex JWT path.
    read: (s) => ({ auth: s.auth ?? 'apex-jwt', tokenCache: s.tokenCache ?? null }),
    write: (s, _r, v) => void Object.assign(s, { auth: v.auth, tokenCache: v.tokenCache ?? undefined }),
  },
  // The Named Credential path carries its own aud: it leaves the recorded one as it was.
  audience: {
    read: (s) => s.audience ?? null,
    write: (s, _r, v) => {
      if (v) s.audience = v;
    },
  },
  tokenWait: runOnly('tokenWait', null),
  extraTokens: runOnly('extraTokens', null),
  verified: runOnly('verified', undefined),
  remoteRecordsChecked: runOnly('remoteRecordsChecked', null),
  externalService: runOnly('externalService', null),
};

export function readProduct<K extends ProductName>(state: SetupState, run: Partial<Products>, key: K): Products[K] | undefined {
  return SLOTS[key].read(state, run);
}

export function writeProduct<K extends ProductName>(state: SetupState, run: Partial<Products>, key: K, value: Products[K]): void {
  SLOTS[key].write(state, run, value);
}

/** Forgets what the state file records of these products (they belonged to orgs that are gone). */
export function forgetProducts(state: SetupState, keys: Array<'app' | 'certificate' | 'integrationUser' | 'audience'>): void {
  for (const key of keys) {
    if (key === 'integrationUser') delete state.integrationUsername;
    else delete state[key];
  }
}
