/**
 * PKCS#12 (.p12) for tools that want one file with key and certificate (keytool, openssl, Java HTTP
 * clients). Built with node-forge: AES-256-CBC key bag (PBES2, PBKDF2-HMAC-SHA256) and a SHA-1 MAC,
 * which OpenSSL 3 and Java 17 read without legacy providers. The friendly name is the alias, so
 * `keytool -importkeystore -srcalias <alias>` finds the entry.
 */
import { createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { certErrors } from './certErrors.ts';
import { checkKeyPair, readCertificate } from './checkKeyPair.ts';
import { readPrivateKey } from './keyPair.ts';

export interface Pkcs12Input {
  alias: string;
  privateKeyPem: string;
  certificatePem: string;
  password: string;
}

export function encodePkcs12(input: Pkcs12Input): Buffer {
  const key = readPrivateKey(input.privateKeyPem);
  checkKeyPair(key, readCertificate(input.certificatePem));
  const forgeKey = forge.pki.privateKeyFromPem(key.export({ format: 'pem', type: 'pkcs1' }) as string);
  const forgeCert = forge.pki.certificateFromPem(input.certificatePem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, forgeCert, input.password, {
    algorithm: 'aes256',
    prfAlgorithm: 'sha256',
    count: 2048,
    friendlyName: input.alias.toLowerCase(),
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export interface Pkcs12Contents {
  alias?: string;
  privateKeyPem?: string;
  certificatePem?: string;
}

/** Reads the first key and certificate of a PKCS#12 file; KeystorePasswordIncorrect when the MAC fails. */
export function decodePkcs12(buffer: Buffer, password: string, file = 'the PKCS#12 file'): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(buffer.toString('binary'), false);
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (cause) {
    const message = (cause as Error).message ?? '';
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message)) throw certErrors.wrongPassword(file);
    throw certErrors.corruptKeystore(`not a readable PKCS#12 file (${message})`, file);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const keyBag = keyBags[0];
  const certBag = certBags[0];
  let privateKeyPem: string | undefined;
  if (keyBag) {
    if (!keyBag.key) throw certErrors.notRsa('not an RSA key (node-forge reads RSA only)');
    const pkcs1 = forge.pki.privateKeyToPem(keyBag.key);
    privateKeyPem = createPrivateKey(pkcs1).export({ format: 'pem', type: 'pkcs8' }) as string;
  }
  return {
    alias: keyBag?.attributes?.friendlyName?.[0] ?? certBag?.attributes?.friendlyName?.[0],
    privateKeyPem,
    certificatePem: certBag?.cert ? forge.pki.certificateToPem(certBag.cert) : undefined,
  };
}
