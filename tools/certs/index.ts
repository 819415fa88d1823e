/** The certificate and keystore library other parts of the project import. */
export { createKeyMaterial, DEFAULT_ALIAS, type KeyMaterial, type KeyMaterialOptions } from './keyMaterial.ts';
export { generateRsaKeyPair, type RsaKeyPair } from './keyPair.ts';
export { createSelfSignedCertificate, fingerprintSha256 } from './selfSignedCertificate.ts';
export { encodeJks, decodeJks, type JksInput, type JksPrivateKeyEntry } from './jks.ts';
export { encodePkcs12, decodePkcs12 } from './pkcs12.ts';
export { checkKeyPair } from './checkKeyPair.ts';
export { assertValidApiName } from './apiName.ts';
export { SALESFORCE_IMPORT_MESSAGES, SUPPORTED_KEY_SIZES, certErrors } from './certErrors.ts';
export {
  writeCertificateSet,
  certificateSetPaths,
  assertOutsideForceApp,
  type CertificateSet,
  type CertificateSetPaths,
} from './writeCertificateSet.ts';
export { createCertificateSet, DEFAULT_OUT_DIR, type CertificateSetResult } from './createCertificateSet.ts';
export { rotateCertificateSet, nextAlias, type RotateResult } from './rotateCertificateSet.ts';
export { inspectFile, type InspectReport, type InspectedEntry } from './inspect.ts';
export { resolveNewKeystorePassword, readKeystorePassword, PASSWORD_ENV } from './keystorePassword.ts';
