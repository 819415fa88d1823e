/**
 * `--external-service [URL]`: Org A calls the external service with a JWT Salesforce mints. Starts the
 * reference service on loopback (or takes the URL of one deployed elsewhere), renders and deploys A's
 * credential (renderExternalService.ts), assigns its principal access, and verifies the call end to end
 * with anonymous Apex; a refusal is explained from the service's error_description.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/ToolError.ts';
import { ENV } from '../external-service/config.ts';
import { isLoopbackUrl } from '../local-platform/apex/directJwt.ts';
import { assignPermissionSet, debugValue, deploySource, runAnonymousApex } from './orgOps.ts';
import type { Progress } from './progress.ts';
import { writeRendered } from './render.ts';
import { ensureLocalService } from './externalServiceProcess.ts';
import { renderExternalServiceCredential, SERVICE_NAMED_CREDENTIAL, SERVICE_PERMSET } from './renderExternalService.ts';
import type { SetupState } from './setupState.ts';

/** What the service must be told (a deployment elsewhere sets these itself). */
export interface ExternalServiceWiring {
  mode: 'local' | 'remote';
  url: string;
  issuer: string;
  subject: string;
  audience: string;
  certificateName: string;
  /** A's public certificate, written for the service to trust. */
  certificateFile: string;
}

export interface ExternalServiceReport extends ExternalServiceWiring {
  verified: { users: number; callerSubject: string; ms: number };
  /** For a service elsewhere: the settings it needs. */
  serviceSettings?: Record<string, string>;
}

const wiringFile = (workDir: string) => join(workDir, 'external-service', 'wiring.json');

export function readWiring(workDir: string): ExternalServiceWiring | undefined {
  return existsSync(wiringFile(workDir)) ? (JSON.parse(readFileSync(wiringFile(workDir), 'utf8')) as ExternalServiceWiring) : undefined;
}

export interface ExternalServiceOptions {
  /** 'local' to start the reference service here, or the URL of one deployed elsewhere. */
  target: string;
  consumerAlias: string;
  workDir: string;
  progress: Progress;
}

export async function setupExternalService(options: ExternalServiceOptions, state: SetupState): Promise<ExternalServiceReport> {
  const consumer = state.consumer;
  const certificate = state.certificate;
  if (!consumer || !certificate)
    throw new ToolError('Org A is not set up yet.', 'NotSetUp', ['Run npm run setup:orgs (without --external-service) first.']);
  const localPlatform = Boolean(state.devHub?.local);
  const issuer = consumer.instanceUrl.replace(/\/+$/, '');
  const subject = consumer.username;
  const dir = join(options.workDir, 'external-service');
  mkdirSync(dir, { recursive: true });
  const certificateFile = join(dir, 'trusted-certificate.pem');
  writeFileSync(certificateFile, certificate.pem);

  let wiring: ExternalServiceWiring;
  if (options.target === 'local') {
    if (!localPlatform) {
      throw new ToolError('A real Org A cannot reach a service on this machine (127.0.0.1).', 'ExternalServiceUnreachable', [
        'Deploy tools/external-service where Salesforce can reach it over HTTPS (README: "Running the external service elsewhere") and pass --external-service https://<host>.',
      ]);
    }
    const service = await ensureLocalService(
      options.workDir,
      { issuer, subjects: [subject], certificatePem: certificate.pem },
      certificate.fingerprintSha256,
    );
    options.progress.info(`  external service on ${service.url} (pid ${service.pid}, log ${join(dir, 'service.log')})`);
    wiring = {
      mode: 'local',
      url: service.url,
      issuer,
      subject,
      audience: service.url,
      certificateName: certificate.name,
      certificateFile,
    };
  } else {
    let url: URL;
    try {
      url = new URL(options.target);
    } catch {
      throw new ToolError(`--external-service '${options.target}' is not a URL.`, 'BadFlag', [
        'Pass https://<host> of the deployed service, or no value to start the local one.',
      ]);
    }
    if (localPlatform && !isLoopbackUrl(url.href)) {
      throw new ToolError(
        `The local platform sends Salesforce-minted JWTs only to loopback hosts, not ${url.host}.`,
        'ExternalServiceUnreachable',
        [
          'Run the service on this machine (npm run external-service) and pass its http://127.0.0.1:<port> URL, or no value to let setup start it.',
        ],
      );
    }
    const base = url.href.replace(/\/+$/, '');
    wiring = {
      mode: 'remote',
      url: base,
      issuer,
      subject,
      audience: process.env[ENV.audience] || base,
      certificateName: certificate.name,
      certificateFile,
    };
  }

  await writeRendered(
    join(options.workDir, 'rendered', 'external-service'),
    renderExternalServiceCredential({
      serviceUrl: wiring.url,
      issuer: wiring.issuer,
      subject: wiring.subject,
      audience: wiring.audience,
      certificateName: wiring.certificateName,
    }),
  );
  await deploySource(options.consumerAlias, [join(options.workDir, 'rendered', 'external-service')]);
  await assignPermissionSet(options.consumerAlias, SERVICE_PERMSET, undefined);
  writeFileSync(wiringFile(options.workDir), `${JSON.stringify(wiring, null, 2)}\n`);

  const verified = await verifyExternalService(options.consumerAlias, wiring);
  const serviceSettings =
    wiring.mode === 'remote'
      ? { [ENV.issuer]: wiring.issuer, [ENV.audience]: wiring.audience, [ENV.subjects]: wiring.subject, [ENV.certFile]: certificateFile }
      : undefined;
  return { ...wiring, verified, serviceSettings };
}

const SCRIPT = `ExternalServiceClient.UsersResult r = new ExternalServiceClient().fetchUsers();
System.debug(LoggingLevel.ERROR, 'VERIFY_EXTERNAL ' + JSON.serialize(r));`;

/** A calls the service through callout:External_Service; throws ToolError naming the cause of a refusal. */
export async function verifyExternalService(
  consumerAlias: string,
  wiring: ExternalServiceWiring,
): Promise<{ users: number; callerSubject: string; ms: number }> {
  const started = performance.now();
  const run = await runAnonymousApex(consumerAlias, SCRIPT);
  const ms = Math.round(performance.now() - started);
  const raw = debugValue(run.logs, 'VERIFY_EXTERNAL');
  if (!run.success || raw === undefined) {
    const message = !run.compiled
      ? `Anonymous Apex did not compile: ${run.compileProblem ?? 'unknown problem'} (is force-app/consumer deployed to A?)`
      : (run.exceptionMessage ?? 'A printed no result');
    const diagnosis = diagnoseExternalServiceError(message, wiring);
    throw new ToolError(`A could not call the external service at ${wiring.url}: ${message}`, 'ExternalServiceVerifyFailed', [
      ...(diagnosis ? [`Cause: ${diagnosis.cause}`, diagnosis.fix] : []),
      ...(wiring.mode === 'local'
        ? [`The service's log: ${join(wiring.certificateFile, '..', 'service.log')}`]
        : ["Read the service's log: each refusal is logged with its reason."]),
    ]);
  }
  const result = JSON.parse(raw) as { users?: unknown[]; callerSubject?: string };
  const users = result.users?.length ?? 0;
  if (users === 0 || result.callerSubject !== wiring.subject) {
    throw new ToolError(
      `The external service answered, but not as expected: ${users} users, caller ${result.callerSubject ?? 'none'} (expected ${wiring.subject}).`,
      'ExternalServiceVerifyFailed',
      [`Check that ${wiring.url} is the reference service (tools/external-service) and that its ${ENV.subjects} holds ${wiring.subject}.`],
    );
  }
  return { users, callerSubject: result.callerSubject, ms };
}

/** The cause of a failed call, from the service's error_description (RFC 6750) or Salesforce's callout error. */
export function diagnoseExternalServiceError(message: string, wiring?: ExternalServiceWiring): { cause: string; fix: string } | undefined {
  const m = message.toLowerCase();
  const aud = wiring ? ` (${wiring.audience})` : '';
  if (m.includes('clock skew')) {
    return {
      cause: "clock skew: the token's exp/nbf/iat disagree with the service's clock by more than the allowed skew",
      fix: `Sync the clocks (NTP on the service host), or raise ${ENV.clockSkew} (at most 300 s).`,
    };
  }
  if (m.includes('wrong audience')) {
    return {
      cause: 'wrong audience: the aud claim A sends is not the one the service accepts',
      fix: `Make ${ENV.audience} on the service and the aud claim of External Credential External_Service_JWT${aud} the same, then run setup again.`,
    };
  }
  if (m.includes('wrong issuer'))
    return {
      cause: 'wrong issuer: the iss claim A sends is not the one the service accepts',
      fix: `Set ${ENV.issuer} on the service to ${wiring?.issuer ?? "A's iss claim"}.`,
    };
  if (m.includes('untrusted certificate')) {
    return {
      cause:
        "untrusted certificate: the token is signed with a key the service does not trust (A's certificate changed, or the service trusts another one)",
      fix: `Give the service A's current certificate: ${wiring?.certificateFile ?? "the PEM of A's signing certificate"} (${ENV.certFile}).`,
    };
  }
  if (m.includes('subject not allowed'))
    return {
      cause: "subject not allowed: A's sub claim is not on the service's allow-list",
      fix: `Add ${wiring?.subject ?? 'the sub claim'} to ${ENV.subjects}.`,
    };
  if (m.includes('token replayed'))
    return {
      cause: 'token replayed: the service saw the same jti twice',
      fix: `Salesforce may reuse a token until it expires: set ${ENV.replayCheck}=off on the service.`,
    };
  if (m.includes('not set up for you') || m.includes(`"${SERVICE_NAMED_CREDENTIAL.toLowerCase()}" might not exist`)) {
    return {
      cause: `Named Credential ${SERVICE_NAMED_CREDENTIAL} missing, or the running user lacks its principal access`,
      fix: `Run setup again with --external-service, or assign ${SERVICE_PERMSET} to the user.`,
    };
  }
  if (m.includes('only to loopback'))
    return { cause: 'the local platform sends JWTs only to 127.0.0.1', fix: 'Run the service on this machine.' };
  if (m.includes('callout to the external service failed'))
    return {
      cause: 'the service did not answer',
      fix: 'Start it (npm run setup:orgs -- --external-service starts the local one) and check its URL.',
    };
  return undefined;
}
