/**
 * Certificates for tests: a throw-away CA, a loopback server certificate it
 * signs (for the ARM emulator's HTTPS listener) and self-signed .cer files
 * (for App Service VNet connection `certBlob`s).
 *
 * Built with @peculiar/x509 on Node's WebCrypto, so nothing depends on the
 * openssl CLI. All keys are generated in memory; nothing is written to disk
 * here except by `writeTestCaFiles`.
 */
import { createHash, createPrivateKey, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as X509 from "@peculiar/x509";

// The project compiles without the DOM lib, so name WebCrypto types through node:crypto.
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type EcdsaParams = webcrypto.EcdsaParams;
type RsaHashedImportParams = webcrypto.RsaHashedImportParams;

/** A CA as PEM strings: the certificate and its PKCS#8 private key. */
export interface TestCa {
  certPem: string;
  keyPem: string;
}

/** A leaf certificate with its PKCS#8 private key, both PEM. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

/** A self-signed certificate in the forms App Service and tests use. */
export interface SelfSignedCertificate {
  /** Base64 of the DER encoding: the content of a `.cer` file as ARM returns it in `certBlob`. */
  derBase64: string;
  pem: string;
  /** SHA-1 of the DER, upper-case hex, no separators (App Service's `certThumbprint` format). */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const FIXED_NOT_BEFORE = Date.UTC(2020, 0, 1);

// ECDSA P-256 keys generate in milliseconds (RSA-2048 takes ~100 ms) and
// Node's TLS stack and NODE_EXTRA_CA_CERTS accept them.
const EC_KEY: webcrypto.EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const EC_SIGN: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
// RSA for the VNet connection certificates, because App Service issues RSA
// point-to-site certificates and a consumer may parse them as such.
const RSA_KEY: webcrypto.RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

const subtle = webcrypto.subtle;

/**
 * @peculiar/x509 uses tsyringe, which refuses to load unless a Reflect
 * metadata polyfill (reflect-metadata & co.) is installed. None is a project
 * dependency, so install the three functions tsyringe calls, only if no
 * polyfill is present. The library is then imported dynamically so this runs
 * first (static imports would be evaluated before this module's body).
 */
function ensureReflectMetadata(): void {
  type Key = unknown;
  const R = Reflect as unknown as Record<string, unknown>;
  if (typeof R.getMetadata === "function") return;
  const store = new WeakMap<object, Map<PropertyKey | undefined, Map<Key, unknown>>>();
  const table = (target: object, prop: PropertyKey | undefined, create: boolean) => {
    let byProp = store.get(target);
    if (!byProp && create) store.set(target, (byProp = new Map()));
    let byKey = byProp?.get(prop);
    if (!byKey && create && byProp) byProp.set(prop, (byKey = new Map()));
    return byKey;
  };
  const getOwnMetadata = (key: Key, target: object, prop?: PropertyKey) => table(target, prop, false)?.get(key);
  const getMetadata = (key: Key, target: object, prop?: PropertyKey): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const byKey = table(t, prop, false);
      if (byKey?.has(key)) return byKey.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: Key, value: unknown, target: object, prop?: PropertyKey) => {
    table(target, prop, true)!.set(key, value);
  };
  Object.assign(R, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasOwnMetadata: (key: Key, target: object, prop?: PropertyKey) => table(target, prop, false)?.has(key) ?? false,
    hasMetadata: (key: Key, target: object, prop?: PropertyKey) => getMetadata(key, target, prop) !== undefined,
    metadata: (key: Key, value: unknown) => (target: object, prop?: PropertyKey) => defineMetadata(key, value, target, prop),
  });
}

let x509Module: Promise<typeof X509> | undefined;

function loadX509(): Promise<typeof X509> {
  ensureReflectMetadata();
  x509Module ??= import("@peculiar/x509").then((m) => {
    m.cryptoProvider.set(webcrypto as unknown as Parameters<typeof m.cryptoProvider.set>[0]);
    return m;
  });
  return x509Module;
}

function toPem(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return toPem("PRIVATE KEY", await subtle.exportKey("pkcs8", key));
}

function randomSerial(): string {
  // Positive 16-byte serial (top bit clear), as CAs issue them.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString("hex");
}

/** Imports a PEM private key (EC P-256/384 or RSA) for signing, with the matching algorithm. */
async function importSigningKey(keyPem: string): Promise<{ key: CryptoKey; algorithm: EcdsaParams | RsaHashedImportParams }> {
  const nodeKey = createPrivateKey(keyPem);
  const der = nodeKey.export({ type: "pkcs8", format: "der" });
  if (nodeKey.asymmetricKeyType === "ec") {
    const curve = nodeKey.asymmetricKeyDetails?.namedCurve === "secp384r1" ? "P-384" : "P-256";
    const key = await subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: curve }, false, ["sign"]);
    return { key, algorithm: { name: "ECDSA", hash: curve === "P-384" ? "SHA-384" : "SHA-256" } };
  }
  if (nodeKey.asymmetricKeyType === "rsa") {
    const algorithm: RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const key = await subtle.importKey("pkcs8", der, algorithm, false, ["sign"]);
    return { key, algorithm };
  }
  throw new Error(`test CA: unsupported key type ${nodeKey.asymmetricKeyType ?? "unknown"}`);
}

/**
 * Creates a self-signed CA for one test run. A vitest globalSetup can create
 * one and hand it to every emulator so a single NODE_EXTRA_CA_CERTS file
 * trusts them all.
 */
export async function createTestCa(options: { commonName?: string; validDays?: number } = {}): Promise<TestCa> {
  const x509 = await loadX509();
  const keys = (await subtle.generateKey(EC_KEY, true, ["sign", "verify"])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${options.commonName ?? "vnet-audit test CA"}, O=vnet-audit tests`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + (options.validDays ?? 30) * DAY_MS),
    signingAlgorithm: EC_SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * Issues a TLS server certificate signed by `ca`. Defaults cover how the
 * emulator is reached: https://127.0.0.1:port and https://localhost:port.
 */
export async function issueServerCertificate(
  ca: TestCa,
  options: { dnsNames?: string[]; ipAddresses?: string[]; validDays?: number } = {},
): Promise<IssuedCertificate> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const signer = await importSigningKey(ca.keyPem);
  const keys = (await subtle.generateKey(EC_KEY, true, ["sign", "verify"])) as CryptoKeyPair;
  const dnsNames = options.dnsNames ?? ["localhost"];
  const ipAddresses = options.ipAddresses ?? ["127.0.0.1"];
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${dnsNames[0] ?? ipAddresses[0] ?? "localhost"}`,
    issuer: caCert.subject,
    notBefore: new Date(now - DAY_MS),
    // Never outlive the CA: chain validation would fail.
    notAfter: new Date(Math.min(now + (options.validDays ?? 7) * DAY_MS, caCert.notAfter.getTime())),
    signingAlgorithm: signer.algorithm,
    publicKey: keys.publicKey,
    signingKey: signer.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...ipAddresses.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString("pem") + "\n", keyPem: await privateKeyPem(keys.privateKey) };
}

// One RSA key pair for every self-signed .cer: key generation is the slow
// part, and the tests only care about the certificate's dates and bytes.
let selfSignedKeys: Promise<CryptoKeyPair> | undefined;
const selfSignedCache = new Map<string, Promise<SelfSignedCertificate>>();

/**
 * A real self-signed X.509 certificate with the given validity, like the
 * point-to-site certificate App Service puts on a gateway-required VNet
 * connection. Cached by (commonName, notBefore, notAfter), so asking twice
 * returns the same bytes and thumbprint.
 */
export function createSelfSignedCertificate(options: {
  notAfter: Date;
  notBefore?: Date;
  commonName?: string;
}): Promise<SelfSignedCertificate> {
  // Default start is fixed (not "now") so the cache key, and the bytes, are stable.
  const notBefore = options.notBefore ?? new Date(Math.min(FIXED_NOT_BEFORE, options.notAfter.getTime() - 365 * DAY_MS));
  const commonName = options.commonName ?? "vnet-audit-test-p2s";
  const cacheKey = `${commonName}|${notBefore.toISOString()}|${options.notAfter.toISOString()}`;
  let cert = selfSignedCache.get(cacheKey);
  if (!cert) {
    cert = makeSelfSigned(commonName, notBefore, options.notAfter);
    selfSignedCache.set(cacheKey, cert);
  }
  return cert;
}

async function makeSelfSigned(commonName: string, notBefore: Date, notAfter: Date): Promise<SelfSignedCertificate> {
  const x509 = await loadX509();
  selfSignedKeys ??= subtle.generateKey(RSA_KEY, false, ["sign", "verify"]) as Promise<CryptoKeyPair>;
  const keys = await selfSignedKeys;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}`,
    notBefore,
    notAfter,
    signingAlgorithm: RSA_KEY,
    keys,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment)],
  });
  const der = Buffer.from(cert.rawData);
  return {
    derBase64: der.toString("base64"),
    pem: cert.toString("pem") + "\n",
    thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/**
 * Writes the CA to a new temp directory (certificate and key as separate
 * files) and returns the paths; the certificate file is what
 * NODE_EXTRA_CA_CERTS wants.
 */
export async function writeTestCaFiles(ca: TestCa, dir?: string): Promise<{ dir: string; certPath: string; keyPath: string }> {
  const target = dir ?? (await mkdtemp(join(tmpdir(), "vnet-audit-ca-")));
  const certPath = join(target, "ca.pem");
  const keyPath = join(target, "ca.key");
  await writeFile(certPath, ca.certPem, { mode: 0o644 });
  await writeFile(keyPath, ca.keyPem, { mode: 0o600 });
  return { dir: target, certPath, keyPath };
}

/** Environment variables through which `installTestCa` hands the run's CA to every emulator. */
export const TEST_CA_CERT_ENV = "VNET_AUDIT_TEST_CA_CERT";
export const TEST_CA_KEY_ENV = "VNET_AUDIT_TEST_CA_KEY";

/**
 * For a vitest globalSetup: creates one CA for the whole run, writes it to a
 * temp directory and points the environment at it:
 * - NODE_EXTRA_CA_CERTS (a bundle of any extra CAs already configured plus
 *   this one), which the forked test workers inherit and read at startup, so
 *   the product's own SDK clients trust every emulator in-process, unchanged;
 * - TEST_CA_CERT_ENV / TEST_CA_KEY_ENV, from which `startArmEmulator` takes
 *   the CA when no `ca` option is given.
 * Only works with vitest's default `forks` pool: worker threads share the
 * main process's already-loaded trust store. Returns a teardown.
 */
export async function installTestCa(env: NodeJS.ProcessEnv = process.env): Promise<{
  ca: TestCa;
  certPath: string;
  keyPath: string;
  teardown(): Promise<void>;
}> {
  const ca = await createTestCa();
  const files = await writeTestCaFiles(ca);
  let bundle = ca.certPem;
  const existing = env.NODE_EXTRA_CA_CERTS;
  if (existing) {
    try {
      bundle = `${readFileSync(existing, "utf8").trim()}\n${bundle}`;
    } catch {
      // An unreadable NODE_EXTRA_CA_CERTS only earns a warning from Node; ignore it here too.
    }
  }
  const bundlePath = join(files.dir, "extra-ca-bundle.pem");
  await writeFile(bundlePath, bundle, { mode: 0o644 });
  const previous = {
    NODE_EXTRA_CA_CERTS: env.NODE_EXTRA_CA_CERTS,
    [TEST_CA_CERT_ENV]: env[TEST_CA_CERT_ENV],
    [TEST_CA_KEY_ENV]: env[TEST_CA_KEY_ENV],
  };
  env.NODE_EXTRA_CA_CERTS = bundlePath;
  env[TEST_CA_CERT_ENV] = files.certPath;
  env[TEST_CA_KEY_ENV] = files.keyPath;
  return {
    ca,
    certPath: files.certPath,
    keyPath: files.keyPath,
    async teardown() {
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete env[k];
        else env[k] = v;
      }
      await rm(files.dir, { recursive: true, force: true });
    },
  };
}

/** The CA `installTestCa` published in the environment, if any. */
export function testCaFromEnv(env: NodeJS.ProcessEnv = process.env): TestCa | undefined {
  const certPath = env[TEST_CA_CERT_ENV];
  const keyPath = env[TEST_CA_KEY_ENV];
  if (!certPath || !keyPath) return undefined;
  try {
    return { certPem: readFileSync(certPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") };
  } catch {
    return undefined;
  }
}
