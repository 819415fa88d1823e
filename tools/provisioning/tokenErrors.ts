/**
 * What each token-endpoint error means for this setup and what to change. Strings are Salesforce's own
 * (docs/salesforce-rules.md#token-errors); the local platform answers the same ones.
 */
export interface TokenDiagnosis {
  error: string;
  description: string;
  cause: string;
  fix: string;
  /** Worth retrying: the app or user may still be propagating. */
  transient: boolean;
}

interface Rule {
  error: string;
  description: RegExp;
  cause: string;
  fix: string;
  transient: boolean;
  /** Not worth retrying for this audience (the JWT's aud), although the error can be transient. */
  finalFor?: (audience: string | undefined) => boolean;
}

/** login.salesforce.com / test.salesforce.com: generic hosts, not an org's My Domain. */
export function isLoginHost(audience: string | undefined): boolean {
  if (!audience) return false;
  try {
    return ['login.salesforce.com', 'test.salesforce.com'].includes(new URL(audience).hostname.toLowerCase());
  } catch {
    return false;
  }
}

const rules: Rule[] = [
  {
    error: 'invalid_client_id',
    description: /client identifier invalid/i,
    cause:
      "The JWT's iss (Consumer_Key__c in A's Org_B_Connection__mdt) is not the consumer key of an app in Org B, or the app is still propagating.",
    fix: "Set Consumer_Key__c to the consumer key of B's External Client App (npm run setup:orgs renders both from one value); a new app can take up to 10 minutes to propagate.",
    transient: true,
  },
  {
    error: 'invalid_grant',
    description: /user hasn't approved this consumer/i,
    cause:
      "B's app does not pre-authorize the JWT's sub user: the user lacks the permission set the app's policy names, the policy is not 'Admin approved users are pre-authorized', or the app is still propagating.",
    fix: "Assign Account_Retriever_Integration to B's integration user and keep permittedUsersPolicyType=AdminApprovedPreAuthorized with that permission set; after a fresh deploy wait a few minutes.",
    transient: true,
  },
  {
    error: 'invalid_grant',
    description: /audience is invalid|audience validation failed/i,
    cause: "The JWT's aud (Audience__c in A's Org_B_Connection__mdt, or Login_Url__c when blank) is not an audience Org B accepts.",
    fix: "Run npm run setup:orgs (or npm run configure) again: it tries B's My Domain URL, then https://test.salesforce.com (sandbox, scratch org) or https://login.salesforce.com (production), and records the one B accepts in Audience__c. Login_Url__c stays B's My Domain URL, the token host.",
    transient: false,
  },
  {
    error: 'invalid_grant',
    description: /expired authorization code/i,
    cause: "The JWT's exp is in the past: a clock problem or exp computed in the wrong unit.",
    fix: 'exp must be seconds since the epoch, at most 180 s ahead; check the signing org clock.',
    transient: false,
  },
  {
    error: 'invalid_grant',
    description: /invalid assertion/i,
    cause:
      "The JWT's signature does not verify against the certificate in B's app: A signs with a different key (Certificate_Name__c) than the one B trusts.",
    fix: "Put A's current certificate (Setup → Certificate and Key Management → the one named in Certificate_Name__c) into B's External Client App, or re-run npm run setup:orgs.",
    transient: false,
  },
  {
    error: 'invalid_app_access',
    description: /not admin approved/i,
    cause: "B's app is admin-approved but the user has neither a pre-authorized profile nor permission set.",
    fix: "Assign Account_Retriever_Integration to B's integration user.",
    transient: false,
  },
  {
    error: 'unsupported_grant_type',
    description: /grant type not supported/i,
    cause: 'The token request did not send grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer.',
    fix: 'Post the form with that exact grant_type (the Jwt class does).',
    transient: false,
  },
  {
    error: 'OAUTH_AUTHORIZATION_BLOCKED',
    description: /cross-org oauth/i,
    cause: 'The app in B is a local External Client App but sub is not a user of Org B.',
    fix: 'Set Username__c to a user of Org B.',
    transient: false,
  },
  {
    // Facts C4: also answered for a while right after an app is created (forcedotcom/cli#3482, #3638; up to 30
    // minutes reported), and always for the login/test hosts as audience (Spring '26). So it is propagation
    // while the audience is B's My Domain, and final otherwise.
    error: '',
    description: /external client app is not installed/i,
    cause:
      "B does not know the app yet (a new External Client App propagates for up to 30 minutes), the consumer key belongs to an app of another org, or the JWT's aud is login.salesforce.com/test.salesforce.com, which External Client Apps refuse since Spring '26.",
    fix: "Use B's My Domain URL for Login_Url__c (the token host) and the consumer key of the app deployed to Org B; after creating the app, wait up to 30 minutes. Setup tries B's My Domain and the login/test host as audience and records the one B accepts in Audience__c.",
    transient: true,
    finalFor: (audience) => isLoginHost(audience),
  },
  {
    // Named Credential path: Salesforce reports a failed exchange without B's reason (text per issue 7, unverified),
    // so this rule only applies when no rule above found B's error in the text. A new app may still be propagating.
    error: '',
    description: /Unable to complete the JWT token exchange/i,
    cause:
      "A's Named Credential could not trade its JWT at B's token endpoint: B's app does not know the issuer yet (propagation), does not trust A's signing certificate, or does not pre-authorize the subject.",
    fix: "Check the External Credential Org_B_JWT (AuthProviderUrl = B's /services/oauth2/token, iss = B's consumer key, sub = B's integration user, aud = B's login URL, SigningCertificate = the certificate in B's app); re-run npm run setup:orgs -- --auth named-credential.",
    transient: true,
  },
];

/**
 * Finds the error/description pair in any text (an Apex exception, a JSON body) and explains it.
 * `audience` is the JWT's aud (A's Login_Url__c), for errors whose meaning depends on it.
 */
export function diagnoseTokenError(text: string, audience?: string): TokenDiagnosis | undefined {
  for (const rule of rules) {
    const match = rule.description.exec(text);
    if (!match) continue;
    if (rule.error && !text.includes(rule.error) && rule.error !== 'invalid_grant') continue;
    const transient = rule.transient && !(rule.finalFor?.(audience) ?? false);
    return { error: rule.error, description: match[0], cause: rule.cause, fix: rule.fix, transient };
  }
  return undefined;
}

/** Other failures seen when A calls B, outside the token endpoint. */
export function diagnoseCalloutError(text: string): { cause: string; fix: string } | undefined {
  const namedCredential = diagnoseNamedCredentialError(text);
  if (namedCredential) return namedCredential;
  if (/Unauthorized endpoint/i.test(text)) {
    const endpoint = /endpoint = (\S+)/.exec(text)?.[1] ?? "B's URL";
    return {
      cause: `A has no active Remote Site Setting for ${endpoint}.`,
      fix: "Deploy remote site settings for B's token host and instance URL (npm run setup:orgs renders them).",
    };
  }
  if (/INVALID_SESSION_ID|Session expired or invalid/i.test(text)) {
    return { cause: 'B rejected the access token.', fix: "Clear A's token cache (Platform Cache partition OrgBTokens) and retry." };
  }
  if (/Could not find a match for URL|NOT_FOUND/i.test(text)) {
    return {
      cause: 'B has no Apex REST resource at Resource_Path__c.',
      fix: 'Deploy force-app/provider to Org B and check Resource_Path__c.',
    };
  }
  if (/Read timed out|timed out/i.test(text)) {
    return { cause: 'The callout to B timed out.', fix: "Check B's instance URL and that B answers; raise the timeout if B is slow." };
  }
  return undefined;
}

/** Failures of the Named Credential path (tools/local-platform/namedCredentials.ts has the texts and their sources). */
export function diagnoseNamedCredentialError(text: string): { cause: string; fix: string } | undefined {
  const missing = /couldn't access the endpoint.*named credential "([^"]+)"/i.exec(text);
  if (missing) {
    return {
      cause: `A's running user cannot use the Named Credential ${missing[1]}: it is not deployed, or the user lacks the External Credential principal access.`,
      fix: 'Deploy the rendered consumer folder (npm run setup:orgs -- --auth named-credential) and assign the permission set Org_B_Named_Credential_Access to the user that calls B.',
    };
  }
  const disabled = /named credential "([^"]+)" is not enabled for callouts/i.exec(text);
  if (disabled)
    return {
      cause: `The Named Credential ${disabled[1]} is disabled for callouts.`,
      fix: 'Set calloutStatus to Enabled (Setup → Named Credentials → Enabled for Callouts).',
    };
  const incomplete = /external credential "([^"]+)" isn't configured for callouts: (.*)/i.exec(text);
  if (incomplete)
    return {
      cause: `The External Credential ${incomplete[1]} is incomplete: ${incomplete[2]}.`,
      fix: 'Re-render and deploy it (npm run setup:orgs -- --auth named-credential).',
    };
  if (/Named Credential \S+ answered 401|did not authenticate; check its External Credential/i.test(text)) {
    return {
      cause: 'B refused the token the Named Credential obtained.',
      fix: "Check that B's integration user is API-enabled (permission set Account_Retriever_Integration).",
    };
  }
  return undefined;
}
