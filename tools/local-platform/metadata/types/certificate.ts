/**
 * Certificate (docs/salesforce-rules.md#certificate): "A new private+public key pair is created with a new certificate.
 * Salesforce doesn't allow the import or export of the private key via the API." So an empty `.crt`
 * makes the org generate an RSA key pair of `keySize` and a self-signed certificate; the private key stays
 * in md_certificate_keys and the stored `.crt` becomes the public PEM, which is all retrieve returns.
 * Deploying over an existing certificate renews it: the Usage section of the Metadata API Certificate page
 * says "You can also use this procedure to renew a certificate. A new private+public key pair is created
 * with a new certificate" (docs/salesforce-rules.md#certificate-renewal). So an empty `.crt`, and also the certificate's own public PEM (a
 * retrieve round trip; unverified whether Salesforce renews then too, renewing is what protects a real
 * run), gets a new key pair and a new fingerprint: every app that trusted the old one stops accepting it.
 * Any other content is refused with the documented sentence.
 */
import { generateKeyPair, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Handler } from './handler.ts';
import { isApiName, readXml } from './handler.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export const PRIVATE_KEY_IMPORT_REFUSED =
  "A new private+public key pair is created with a new certificate. Salesforce doesn't allow the import or export of the private key via the API.";

export interface GeneratedCertificate {
  certificatePem: string;
  privateKeyPem: string;
  expirationDate: Date;
}

/** Self-signed like Salesforce's: subject names the certificate and the org; 1 year (2048) or 2 years (4096). */
export async function generateSelfSigned(devName: string, orgId: string, keySize: number, now = new Date()): Promise<GeneratedCertificate> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: keySize,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  const serial = forge.util.bytesToHex(forge.random.getBytesSync(15));
  cert.serialNumber = (parseInt(serial[0]!, 16) & 0x7).toString(16) + serial.slice(1);
  cert.validity.notBefore = now;
  const expirationDate = new Date(now);
  expirationDate.setFullYear(expirationDate.getFullYear() + (keySize >= 4096 ? 2 : 1));
  cert.validity.notAfter = expirationDate;
  const attrs = [
    { name: 'commonName', value: devName },
    { shortName: 'OU', value: orgId.slice(0, 15) },
    { name: 'organizationName', value: 'Salesforce.com' },
    { name: 'localityName', value: 'San Francisco' },
    { shortName: 'ST', value: 'CA' },
    { name: 'countryName', value: 'US' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: true }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), privateKeyPem: privateKey, expirationDate };
}

export const certificate: Handler = async (c, env) => {
  const xml = readXml(c);
  if ('problems' in xml) return { problems: xml.problems };
  const r = xml.reader;
  r.allowOnly(['caSigned', 'encryptedWithPlatformEncryption', 'expirationDate', 'keySize', 'masterLabel', 'privateKeyExportable']);
  const caSigned = r.bool('caSigned', { required: true });
  const masterLabel = r.string('masterLabel', { required: true, max: 64 });
  const keySize = r.int('keySize') ?? 2048;
  if (![2048, 4096].includes(keySize)) r.fail(`'${keySize}' is not a valid value for keySize: use 2048 or 4096`, 'keySize');
  r.bool('privateKeyExportable', { default: true });
  const problems = r.problems.map((p) => ({ ...p, fileName: c.xmlFileName }));
  if (!isApiName(c.fullName)) {
    problems.push({
      problem: `The Unique Name ${c.fullName} can only contain underscores and alphanumeric characters, must begin with a letter, not end with an underscore or contain two consecutive underscores.`,
      fileName: c.fileName,
    });
  }
  if (caSigned) {
    // CA-signed certificates start from a CSR the org generates; signing them is out of scope locally.
    problems.push({
      problem: 'CA-signed certificates are not supported by the local platform; deploy with caSigned false.',
      fileName: c.xmlFileName,
    });
  }
  const content = (c.fileName !== c.xmlFileName ? c.files.get(c.fileName) : undefined)?.toString('utf8').trim() ?? '';
  const existing = env.db
    .prepare('SELECT certificate_pem, private_key_pem FROM md_certificate_keys WHERE org_id = ? AND dev_name = ?')
    .get(env.org.id, c.fullName) as { certificate_pem: string; private_key_pem: string } | undefined;
  if (content !== '' && !(existing && samePem(content, existing.certificate_pem))) {
    problems.push({ problem: PRIVATE_KEY_IMPORT_REFUSED, fileName: c.fileName });
  }
  if (problems.length > 0) return { problems };

  const crtPath = c.fileName !== c.xmlFileName ? c.fileName : c.xmlFileName!.replace(/-meta\.xml$/, '');
  const generated = await generateSelfSigned(c.fullName, env.org.id, keySize);
  const certificatePem = generated.certificatePem;
  const files = new Map(c.files);
  files.set(crtPath, Buffer.from(certificatePem, 'utf8'));
  const expirationDate = new X509Certificate(certificatePem).validTo;
  return {
    problems,
    data: { masterLabel, keySize, expirationDate },
    files,
    apply: (db) => {
      // Delete, then insert: the deploy's undo journal sees both (a REPLACE's implicit delete fires no trigger).
      db.prepare('DELETE FROM md_certificate_keys WHERE org_id = ? AND dev_name = ?').run(env.org.id, c.fullName);
      db.prepare(
        `INSERT INTO md_certificate_keys (org_id, dev_name, certificate_pem, private_key_pem, key_size, source, created_at)
         VALUES (?, ?, ?, ?, ?, 'generated', ?)`,
      ).run(env.org.id, c.fullName, generated.certificatePem, generated.privateKeyPem, keySize, env.now);
    },
  };
};

function samePem(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return norm(a) === norm(b);
}
