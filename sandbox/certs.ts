import {
  createHash,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateRsa = promisify(generateKeyPair);

/** A fresh RSA-2048 key pair (token signing; jose requires 2048 bits for RS256). */
export async function generateRsaKeyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateRsa('rsa', { modulusLength: 2048 });
}

/** PEM material for the HTTPS server and the CA a client must trust. */
export interface SandboxCertificates {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const ecdsaWithSha256 = '1.2.840.10045.4.3.2';
const { asn1 } = forge;

// node-forge ships this encoder but its type definitions omit it.
const extensionsToAsn1 = (
  forge.pki as unknown as { certificateExtensionsToAsn1(exts: unknown[]): forge.asn1.Asn1 }
).certificateExtensionsToAsn1;

interface CertificateSpec {
  subjectCn: string;
  issuerCn: string;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  extensions: object[];
}

function algorithmIdentifier(): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(ecdsaWithSha256).getBytes()),
  ]);
}

function name(cn: string): forge.asn1.Asn1 {
  const holder = forge.pki.createCertificate();
  holder.setSubject([{ name: 'commonName', value: cn }]);
  return forge.pki.distinguishedNameToAsn1(holder.subject);
}

/** SHA-1 of the encoded public key: a subject/authority key identifier (binary string). */
function keyIdentifier(publicKey: KeyObject): string {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('binary');
}

// Pre-encoded, because forge would derive the identifier from an RSA key it does not have here.
function subjectKeyIdentifier(publicKey: KeyObject): object {
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, keyIdentifier(publicKey));
  return { name: 'subjectKeyIdentifier', value };
}

/**
 * Builds and signs an X.509 v3 certificate with ECDSA P-256 keys. node-forge only signs RSA
 * certificates, so forge supplies the ASN.1 pieces and Node's crypto signs the TBS bytes.
 */
function buildCertificate(spec: CertificateSpec): string {
  const holder = forge.pki.createCertificate();
  holder.setExtensions(spec.extensions);
  const notBefore = new Date(Date.now() - 60 * 60_000); // tolerate small clock skew between processes
  const notAfter = new Date(notBefore.getTime() + 30 * 86_400_000);
  const utc = (d: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d));
  const spki = asn1.fromDer(
    forge.util.createBuffer(spec.subjectKey.export({ type: 'spki', format: 'der' }).toString('binary')),
  );
  const tbs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x02'),
    ]),
    // Positive serial: the leading 0x01 byte keeps the DER integer non-negative.
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x01' + randomBytes(15).toString('binary')),
    algorithmIdentifier(),
    name(spec.issuerCn),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [utc(notBefore), utc(notAfter)]),
    name(spec.subjectCn),
    spki,
    extensionsToAsn1(holder.extensions),
  ]);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, spec.issuerKey);
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithmIdentifier(),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + signature.toString('binary')),
  ]);
  return forge.pem.encode({ type: 'CERTIFICATE', body: asn1.toDer(certificate).getBytes() }, { maxline: 64 });
}

/** Creates a throwaway CA and a server certificate for 127.0.0.1 / localhost signed by it. */
export function createSandboxCertificates(): SandboxCertificates {
  // P-256 keys take well under a millisecond, where RSA-2048 takes 150-900 ms on a busy 2-core machine.
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caCn = 'TapDesk Sandbox CA (throwaway)';
  const caKeyId = keyIdentifier(ca.publicKey);
  const caPem = buildCertificate({
    subjectCn: caCn,
    issuerCn: caCn,
    subjectKey: ca.publicKey,
    issuerKey: ca.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      subjectKeyIdentifier(ca.publicKey),
    ],
  });
  const serverCertPem = buildCertificate({
    subjectCn: '127.0.0.1',
    issuerCn: caCn,
    subjectKey: server.publicKey,
    issuerKey: ca.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
      subjectKeyIdentifier(server.publicKey),
      { name: 'authorityKeyIdentifier', keyIdentifier: caKeyId },
    ],
  });
  return {
    caPem,
    serverCertPem,
    serverKeyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
