/** `verify`'s reading of a refusal, and the optional value of --external-service. */
import { describe, expect, it } from 'vitest';
import { diagnoseExternalServiceError } from '../../tools/provisioning/externalServiceSetup.ts';
import { withExternalServiceDefault } from '../../tools/cli/externalServiceFlag.ts';

describe("diagnoseExternalServiceError names the cause from the service's error_description", () => {
  it.each([
    [
      'The external service answered 401: clock skew or expired token: expired at 2026-11-27T10:00:00.000Z (server time …)',
      /^clock skew/,
      /NTP|EXTERNAL_SERVICE_CLOCK_SKEW_SECONDS/,
    ],
    [
      "The external service answered 401: wrong audience: aud 'http://127.0.0.1:1', this service accepts 'x'",
      /^wrong audience/,
      /EXTERNAL_SERVICE_AUDIENCE/,
    ],
    [
      'The external service answered 401: untrusted certificate: the signature does not verify',
      /^untrusted certificate/,
      /EXTERNAL_SERVICE_CERT_FILE/,
    ],
    ["The external service answered 401: wrong issuer: iss 'a', this service accepts 'b'", /^wrong issuer/, /EXTERNAL_SERVICE_ISSUER/],
    [
      "The external service answered 401: subject not allowed: sub 'x' is not on the allow-list",
      /^subject not allowed/,
      /EXTERNAL_SERVICE_SUBJECTS/,
    ],
    [
      "The external service is not set up for you: The callout couldn't access the endpoint.",
      /External_Service missing/,
      /External_Service_Access/,
    ],
  ])('%s', (message, cause, fix) => {
    const d = diagnoseExternalServiceError(message)!;
    expect(d.cause).toMatch(cause);
    expect(d.fix).toMatch(fix);
  });

  it('says nothing it cannot back', () => {
    expect(diagnoseExternalServiceError('Something else entirely')).toBeUndefined();
  });
});

describe('--external-service [URL]', () => {
  it('a bare flag means the local service; a value is kept', () => {
    expect(withExternalServiceDefault(['--external-service', '--json'])).toEqual(['--external-service', 'local', '--json']);
    expect(withExternalServiceDefault(['--local', '--external-service'])).toEqual(['--local', '--external-service', 'local']);
    expect(withExternalServiceDefault(['--external-service', 'https://svc.example'])).toEqual([
      '--external-service',
      'https://svc.example',
    ]);
  });
});
