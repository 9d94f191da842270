import { X509Certificate } from "node:crypto";
import type { ConnectionCertificate } from "../model/inventory.js";

const PEM_PATTERN = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Reads a VNet connection's `certBlob` (a .cer) into its dates and subject. Azure sends
 * base64 of the file; the file itself may be DER or PEM, and some tools store the PEM text
 * directly, so all three are accepted. Anything else becomes a coverage note, never a throw.
 * The blob is not returned: only what the rules need leaves this function.
 */
export function readConnectionCertificate(certBlob: unknown): ConnectionCertificate {
  if (typeof certBlob !== "string" || certBlob.trim() === "") {
    return { unreadable: "the connection has no certificate blob" };
  }
  const certificate = parseCertificate(certBlob.trim());
  if (!certificate) return { unreadable: "the certificate blob is not a readable X.509 certificate" };
  const notAfter = new Date(certificate.validTo);
  if (Number.isNaN(notAfter.getTime())) return { unreadable: "the certificate has no readable NotAfter date" };
  return {
    notAfter: notAfter.toISOString(),
    subject: certificate.subject.replace(/\n/g, ", "),
    thumbprint: certificate.fingerprint.replace(/:/g, ""),
  };
}

function parseCertificate(blob: string): X509Certificate | undefined {
  const pemInText = PEM_PATTERN.exec(blob);
  if (pemInText) return tryParse(pemInText[0]);
  if (!/^[A-Za-z0-9+/=\s]+$/.test(blob)) return undefined;
  const bytes = Buffer.from(blob, "base64");
  const pemInBytes = PEM_PATTERN.exec(bytes.toString("latin1"));
  return tryParse(pemInBytes ? pemInBytes[0] : bytes);
}

function tryParse(input: string | Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(input);
  } catch {
    return undefined;
  }
}
