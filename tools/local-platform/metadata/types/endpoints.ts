/**
 * What outbound callouts are checked against (docs/salesforce-rules.md#callout-endpoints): Remote Site Settings, Named
 * Credentials (legacy and the new model) and External Credentials. Values are stored so the platform can
 * enforce "Unauthorized endpoint" and resolve `callout:Name/…`.
 */
import type { Handler } from './handler.ts';
import { isApiName, readXml } from './handler.ts';
import { text } from '../metadataXml.ts';

function validUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export const remoteSiteSetting: Handler = (c) => {
  const xml = readXml(c);
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly(['description', 'disableProtocolSecurity', 'isActive', 'url']);
  const url = r.string('url', { required: true });
  const isActive = r.bool('isActive', { required: true });
  const disableProtocolSecurity = r.bool('disableProtocolSecurity', { default: false });
  if (url && !validUrl(url)) r.fail(`Invalid URL: ${url}`, 'url'); // wording unverified
  if (!isApiName(c.fullName)) r.fail(`Invalid fullName ${c.fullName}: use letters, digits and single underscores, starting with a letter.`);
  return { problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })), data: { url, isActive, disableProtocolSecurity } };
};

const NC_TYPES = ['Legacy', 'SecuredEndpoint', 'PrivateEndpoint', 'Standard'] as const;
const PROTOCOLS = ['AwsSv4', 'Jwt', 'JwtExchange', 'NoAuthentication', 'Oauth', 'Password'] as const;

export const namedCredential: Handler = (c, env) => {
  const xml = readXml(c);
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly([
    'allowMergeFieldsInBody',
    'allowMergeFieldsInHeader',
    'authProvider',
    'authTokenEndpointUrl',
    'awsAccessKey',
    'awsAccessSecret',
    'awsRegion',
    'awsService',
    'calloutStatus',
    'certificate',
    'description',
    'endpoint',
    'generateAuthorizationHeader',
    'jwtAudience',
    'jwtFormulaSubject',
    'jwtIssuer',
    'jwtSigningCertificate',
    'jwtTextSubject',
    'jwtValidityPeriodSeconds',
    'label',
    'namedCredentialParameters',
    'namedCredentialType',
    'oauthRefreshToken',
    'oauthScope',
    'oauthToken',
    'password',
    'principalType',
    'protocol',
    'username',
  ]);
  const label = r.string('label', { required: true });
  const type = r.enumValue('namedCredentialType', 'NamedCredentialType', NC_TYPES) ?? 'Legacy';
  let endpoint = r.string('endpoint');
  const protocol = r.enumValue('protocol', 'AuthenticationProtocol', PROTOCOLS);
  r.enumValue('principalType', 'ExternalPrincipalType', ['Anonymous', 'NamedUser', 'PerUser'] as const);
  r.bool('generateAuthorizationHeader');
  r.bool('allowMergeFieldsInHeader');
  r.bool('allowMergeFieldsInBody');
  const jwt = {
    issuer: r.string('jwtIssuer'),
    audience: r.string('jwtAudience'),
    subject: r.string('jwtTextSubject'),
    formulaSubject: r.string('jwtFormulaSubject'),
    signingCertificate: r.string('jwtSigningCertificate'),
    validitySeconds: r.int('jwtValidityPeriodSeconds', { min: 1 }),
    tokenEndpointUrl: r.string('authTokenEndpointUrl'),
  };
  let externalCredential: string | undefined;
  const parameters: { name?: string; type?: string; value?: string; externalCredential?: string; certificate?: string }[] = [];
  for (const p of r.subs('namedCredentialParameters', 'NamedCredentialParameter')) {
    const entry = {
      name: p.string('parameterName'),
      type: p.string('parameterType', { required: true }),
      value: p.string('parameterValue'),
      externalCredential: p.string('externalCredential'),
      certificate: p.string('certificate'),
    };
    parameters.push(entry);
    if (entry.type === 'Url' && entry.value) endpoint = entry.value;
    if (entry.type === 'Authentication' && entry.externalCredential) externalCredential = entry.externalCredential;
  }
  if (endpoint && !validUrl(endpoint)) r.fail(`Invalid URL: ${endpoint}`, 'endpoint');
  if (type !== 'Legacy' && !endpoint) r.fail('Required field is missing: Url (namedCredentialParameters with parameterType Url)');
  if (type === 'Legacy' && !endpoint) r.fail('Required field is missing: endpoint');
  if (externalCredential && !env.exists('ExternalCredential', externalCredential)) {
    r.fail(`In field: externalCredential - no ExternalCredential named ${externalCredential} found`);
  }
  for (const cert of [jwt.signingCertificate, ...parameters.map((p) => p.certificate)]) {
    if (cert && !env.exists('Certificate', cert)) r.fail(`In field: certificate - no Certificate named ${cert} found`);
  }
  return {
    problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })),
    data: { label, namedCredentialType: type, endpoint, protocol, externalCredential, jwt, parameters },
  };
};

export const externalCredential: Handler = (c, env) => {
  const xml = readXml(c);
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly(['authenticationProtocol', 'description', 'externalCredentialParameters', 'label']);
  const label = r.string('label', { required: true });
  const authenticationProtocol = r.enumValue(
    'authenticationProtocol',
    'ExternalCredentialAuthenticationProtocol',
    ['AwsSv4', 'Basic', 'Custom', 'Jwt', 'JwtExchange', 'NoAuthentication', 'Oauth', 'Password'] as const,
    { required: true },
  );
  const parameters = r.subs('externalCredentialParameters', 'ExternalCredentialParameter').map((p) => ({
    name: p.string('parameterName'),
    type: p.string('parameterType', { required: true }),
    value: p.string('parameterValue'),
    group: p.string('parameterGroup'),
    certificate: p.string('certificate'),
    authProvider: p.string('authProvider'),
    sequenceNumber: p.int('sequenceNumber'),
  }));
  for (const p of parameters) {
    if (p.certificate && !env.exists('Certificate', p.certificate))
      r.fail(`In field: certificate - no Certificate named ${p.certificate} found`);
  }
  if (authenticationProtocol === 'Oauth') {
    // Wording from a deploy error seen by a third party for "Oauth ClientCredentialsClientSecretBasic" (unverified for other variants).
    const types = new Set(parameters.map((p) => p.type));
    const variant = parameters.find((p) => p.type === 'AuthProtocolVariant')?.value;
    if (!types.has('AuthProtocolVariant') || !types.has('AuthProviderUrl')) {
      r.fail(
        `The authentication protocol "Oauth${variant ? ` ${variant}` : ''}" requires the following external credential parameter types: AuthProtocolVariant, AuthProviderUrl.`,
      );
    }
    const url = parameters.find((p) => p.type === 'AuthProviderUrl')?.value;
    if (url && !validUrl(url)) r.fail(`Invalid URL: ${url}`, 'parameterValue'); // wording unverified
  }
  if (authenticationProtocol === 'Jwt' && !parameters.some((p) => p.type === 'SigningCertificate' && (p.certificate || p.value))) {
    // A JWT credential signs with a certificate (Help: Create or Edit a JWT External Credential); wording modelled on the Oauth one, unverified.
    r.fail('The authentication protocol "Jwt" requires the following external credential parameter types: SigningCertificate.');
  }
  return { problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })), data: { label, authenticationProtocol, parameters } };
};

/** Platform Cache capacity by edition (docs/salesforce-rules.md#platform-cache); the PlatformCache scratch feature gives 3 MB. */
export function orgCacheCapacityMb(edition: string, features: string[]): number {
  if (features.some((f) => f.toLowerCase().startsWith('platformcache'))) return 3;
  const e = edition.toLowerCase();
  if (e.includes('enterprise')) return 10;
  if (e.includes('unlimited') || e.includes('performance')) return 30;
  return 0;
}

export const platformCachePartition: Handler = (c, env) => {
  const xml = readXml(c);
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly(['description', 'isDefaultPartition', 'masterLabel', 'platformCachePartitionTypes']);
  const masterLabel = r.string('masterLabel', { required: true });
  const isDefaultPartition = r.bool('isDefaultPartition', { default: false });
  let orgMb = 0;
  let sessionMb = 0;
  for (const t of r.subs('platformCachePartitionTypes', 'PlatformCachePartitionType')) {
    const type = t.enumValue('cacheType', 'PlatformCacheType', ['Organization', 'Session'] as const, { required: true });
    const mb =
      (t.int('allocatedCapacity', { required: true, min: 0 }) ?? 0) +
      (t.int('allocatedTrialCapacity', { min: 0 }) ?? 0) +
      (t.int('allocatedPurchasedCapacity', { min: 0 }) ?? 0) +
      (t.int('allocatedPartnerCapacity', { min: 0 }) ?? 0);
    if (type === 'Organization') orgMb += mb;
    if (type === 'Session') sessionMb += mb;
  }
  // The org's capacity is shared by every partition; message wording unverified.
  const capacity = orgCacheCapacityMb(env.org.edition, env.org.features);
  let others = 0;
  const rows = env.db
    .prepare("SELECT full_name, data FROM md_components WHERE org_id = ? AND type = 'PlatformCachePartition'")
    .all(env.org.id) as { full_name: string; data: string }[];
  for (const row of rows) {
    if (row.full_name === c.fullName || env.batch.has(`PlatformCachePartition#${row.full_name}`)) continue;
    const d = JSON.parse(row.data) as { orgCapacityMb?: number; sessionCapacityMb?: number };
    others += (d.orgCapacityMb ?? 0) + (d.sessionCapacityMb ?? 0);
  }
  for (const [key, other] of env.batch) {
    if (!key.startsWith('PlatformCachePartition#') || other.fullName === c.fullName) continue;
    const src = other.xmlFileName ? (other.files.get(other.xmlFileName)?.toString('utf8') ?? '') : '';
    for (const m of src.matchAll(/<allocated\w*Capacity>(\d+)<\/allocated\w*Capacity>/g)) others += Number(m[1]);
  }
  if (orgMb + sessionMb + others > capacity) {
    r.fail(
      `The total allocated capacity (${orgMb + sessionMb + others} MB) exceeds the org's available Platform Cache capacity (${capacity} MB).`,
      'allocatedCapacity',
    );
  }
  return {
    problems: r.problems.map((p) => ({ ...p, fileName: c.xmlFileName })),
    data: { masterLabel, isDefaultPartition, orgCapacityMb: orgMb, sessionCapacityMb: sessionMb },
  };
};

/** Settings: `settings/Security.settings` holds `<SecuritySettings>`; stored whole for the platform to read. */
export const settings: Handler = (c) => {
  const xml = readXml(c, `${c.fullName}Settings`);
  if ('problems' in xml) return { problems: xml.problems };
  return { problems: [], data: { values: simplify(xml.reader) } };
};

/** The settings as plain values: no attributes (`@_xmlns`), `{ '#text': v }` as `v`. */
function simplify(r: unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      if ('#text' in v) return text(v);
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => !k.startsWith('@_'))
          .map(([k, x]) => [k, walk(x)]),
      );
    }
    return v;
  };
  return walk((r as { node: unknown }).node);
}
