import { isIP } from "node:net";

/*
 * Where the digest may be POSTed. The webhook URL is an operator's setting, but it is also the
 * one outbound call the app makes with data; a typo or a hostile setting must not turn it into
 * a request to the instance metadata service, the platform's wire server, a private address
 * or the local managed-identity endpoint.
 *
 * - https:// to any public name or address; not to an unspecified (0.0.0.0, ::), link-local
 *   (169.254/16, fe80::/10), metadata (169.254.169.254, 168.63.129.16, fd00:ec2::254) or
 *   private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) address literal.
 * - http:// only to loopback (the local receiver of the demo, the tests and a developer's
 *   laptop), and never on App Service (WEBSITE_SITE_NAME or WEBSITE_INSTANCE_ID set), where
 *   loopback ports serve the managed-identity and Kudu endpoints; never to the origin of
 *   IDENTITY_ENDPOINT / MSI_ENDPOINT anywhere.
 * - no `user:password@` (fetch refuses such URLs, so the digest would retry for ever).
 * At send time the host's resolved addresses are checked again (deliverOutbox), so a name
 * that resolves to a link-local or metadata address is refused too.
 */

export type AddressClass = "unspecified" | "loopback" | "link-local" | "metadata" | "private" | "public";

const METADATA = new Set(["169.254.169.254", "168.63.129.16", "fd00:ec2::254"]);

/** What kind of address an IP literal is (IPv4, IPv6, IPv4-mapped IPv6). */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/^\[|\]$/g, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return classifyAddress(mapped[1]!);
  // The WHATWG URL parser writes an IPv4-mapped address in hex (::ffff:a9fe:a9fe).
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (mappedHex) {
    const [high, low] = [parseInt(mappedHex[1]!, 16), parseInt(mappedHex[2]!, 16)];
    return classifyAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  if (METADATA.has(ip)) return "metadata";
  if (isIP(ip) === 4) {
    const [a, b] = ip.split(".").map(Number) as [number, number];
    if (a === 0) return "unspecified";
    if (a === 127) return "loopback";
    if (a === 169 && b === 254) return "link-local";
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return "private";
    return "public";
  }
  if (isIP(ip) === 6) {
    if (ip === "::") return "unspecified";
    if (ip === "::1") return "loopback";
    if (/^fe[89ab]/.test(ip)) return "link-local";
    if (/^f[cd]/.test(ip)) return "private";
    return "public";
  }
  return "public";
}

/** Addresses no digest may go to, whatever the scheme, and however the name resolves. */
export function isForbiddenTarget(address: string): boolean {
  const kind = classifyAddress(address);
  return kind === "unspecified" || kind === "link-local" || kind === "metadata";
}

/** Why a webhook URL can't be right (the part after "expected"), or undefined when it is acceptable. */
export function webhookUrlProblem(value: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "an absolute https URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "an https URL (http only on loopback)";
  if (url.username || url.password) return "a URL without user:password@ (sign with AUDIT_WEBHOOK_SECRET instead)";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const kind = host === "localhost" || host.endsWith(".localhost") ? "loopback" : isIP(host) ? classifyAddress(host) : "public";
  if (kind === "unspecified" || kind === "link-local" || kind === "metadata") return `an https URL to a routable host, not a ${kind} address`;
  if (url.protocol === "https:") return kind === "private" ? "an https URL to a public host, not a private address literal" : undefined;
  if (kind !== "loopback") return "an https URL (http only on loopback)";
  if (env.WEBSITE_SITE_NAME || env.WEBSITE_INSTANCE_ID) return "an https URL (on App Service, loopback serves the managed-identity and Kudu endpoints)";
  for (const name of ["IDENTITY_ENDPOINT", "MSI_ENDPOINT"]) {
    const endpoint = env[name];
    if (endpoint && sameOrigin(endpoint, url)) return `an https URL (http://${url.host} is the managed-identity endpoint)`;
  }
  return undefined;
}

function sameOrigin(endpoint: string, url: URL): boolean {
  try {
    return new URL(endpoint).origin === url.origin;
  } catch {
    return false;
  }
}
