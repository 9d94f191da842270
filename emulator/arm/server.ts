/**
 * An HTTPS emulator of Azure Resource Manager (read side) plus the App Service
 * managed-identity endpoint, for integration tests, the demo and benchmarks.
 *
 * The product runs unchanged against it: real DefaultAzureCredential (App
 * Service managed identity via IDENTITY_ENDPOINT/IDENTITY_HEADER), real SDK
 * clients, their bearer-token, paging and retry policies. Everything the
 * emulator serves is an `ArmResource` in ARM wire format; routing is generic
 * over resource IDs (GET an ID, GET a collection, POST `.../list`), with the
 * few ARM quirks the SDKs depend on (bare-array VNet connection lists,
 * `includeSlots`, appsettings only through POST list, implicit `config/web`).
 *
 * See emulator/README.md for usage.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createTestCa, issueServerCertificate, testCaFromEnv } from "../ca.js";
import { alterPage, faultMatches, faultResult, TokenBucket, type ActiveFault, type ActivePageFault } from "./faults.js";
import { attachIdentity, detachIdentity, identity, normalizeResource, type IdentityListener } from "./identity.js";
import { listen, stopServer } from "./listen.js";
import { routeArm } from "./routes.js";
import { ResourceStore } from "./store.js";
import { ARM_WRITE_THROTTLE, type ArmEmulator, type ArmEmulatorOptions, type CountOptions, type RecordedRequest, type TokenRequestRecord } from "./types.js";
import { armError, lower, type ArmRequest, type ArmResult } from "./wire.js";

const SITE_PATH = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.web\/sites\/[^/]+)(\/slots\/[^/]+)?/i;

function queryRecord(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) out[k] = v;
  return out;
}

function decodePath(rawPath: string): string {
  const decoded = rawPath
    .split("/")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join("/");
  return decoded.length > 1 ? decoded.replace(/\/+$/, "") : decoded;
}

export async function startArmEmulator(options: ArmEmulatorOptions): Promise<ArmEmulator> {
  const store = new ResourceStore(options.tenant);
  const ca = options.ca ?? testCaFromEnv() ?? (await createTestCa());
  const serverCert = await issueServerCertificate(ca);
  const tempDir = await mkdtemp(join(tmpdir(), "arm-emulator-"));
  const caCertPath = join(tempDir, "ca.pem");
  await writeFile(caCertPath, ca.certPem);

  const pageSize = options.pageSize ?? 1000;
  const latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const tokenRequests: TokenRequestRecord[] = [];
  const faults: ActiveFault[] = [];
  const pageFaults: ActivePageFault[] = [];
  const buckets = new Map<string, TokenBucket>();
  let throttledCount = 0;
  let url = "";

  const listener: IdentityListener = {
    get url() {
      return url;
    },
    onTokenRequest: (rec) => tokenRequests.push(rec),
  };

  function authenticate(header: string | undefined): ArmResult | undefined {
    if (!header) {
      return armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", {
        "WWW-Authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/${store.tenantId}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
      });
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const issued = match ? identity.tokens.get(match[1]!) : undefined;
    if (!issued) {
      return armError(401, "AuthenticationFailed", "Authentication failed. The access token is not one the emulator issued.", {
        "WWW-Authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/${store.tenantId}", error="invalid_token", error_description="The access token is invalid."`,
      });
    }
    if (issued.expiresAt <= Date.now()) return armError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
    // Like ARM, accept only tokens whose audience is this endpoint: a client
    // left on the public-cloud scope (https://management.azure.com/.default)
    // fails here exactly as it would against a sovereign cloud.
    if (normalizeResource(issued.resource) !== normalizeResource(url)) {
      return armError(401, "InvalidAuthenticationTokenAudience", `The access token has been obtained for wrong audience or resource '${issued.resource}'. It should exactly match with one of the allowed audiences '${url}', '${url}/'.`);
    }
    return undefined;
  }

  function takeFault(method: string, path: string, subscriptionId: string | undefined): ArmResult | undefined {
    for (const f of faults) {
      if (f.remaining <= 0 || !faultMatches(f.spec, method, path, subscriptionId)) continue;
      f.remaining -= 1;
      f.hits += 1;
      return faultResult(f.spec, path);
    }
    return undefined;
  }

  function throttle(method: string, subscriptionId: string | undefined): ArmResult | { remaining: number; kind: string } | undefined {
    if (!options.throttle || !subscriptionId) return undefined;
    const kind = method === "GET" ? "reads" : "writes";
    const key = `${lower(subscriptionId)}|${kind}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(kind === "reads" ? options.throttle : (options.throttle.writes ?? ARM_WRITE_THROTTLE));
      buckets.set(key, bucket);
    }
    const taken = bucket.take();
    if (taken.ok) return { remaining: taken.remaining, kind };
    const op = kind === "reads" ? "read" : "write";
    return armError(
      429,
      "SubscriptionRequestsThrottled",
      `Number of '${op}' requests for subscription '${subscriptionId}' actor '${identity.clientId}' exceeded. Please try again after '${taken.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      { "Retry-After": String(taken.retryAfterSeconds), [`x-ms-ratelimit-remaining-subscription-${kind}`]: "0" },
    );
  }

  function dispatch(req: ArmRequest, authorization: string | undefined, subscriptionId: string | undefined): ArmResult {
    const denied = authenticate(authorization);
    if (denied) return denied;
    if (!req.query.get("api-version")) {
      return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    const fault = takeFault(req.method, req.path, subscriptionId);
    if (fault) return fault;
    const throttled = throttle(req.method, subscriptionId);
    if (throttled && "status" in throttled) return throttled;
    const result = routeArm({ store, baseUrl: url, pageSize }, req);
    if (throttled) {
      result.headers = { ...result.headers, [`x-ms-ratelimit-remaining-subscription-${throttled.kind}`]: String(throttled.remaining) };
    }
    return result;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    req.resume(); // no ARM route here reads a body
    const parsedUrl = new URL(req.url ?? "/", "https://127.0.0.1");
    const rawQuery = parsedUrl.search.replace(/^\?/, "");
    const armReq: ArmRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: decodePath(parsedUrl.pathname),
      rawPath: parsedUrl.pathname,
      rawQuery,
      query: parsedUrl.searchParams,
    };
    const subSegment = /^\/subscriptions\/([^/]+)/i.exec(armReq.path)?.[1];
    const subscriptionId = subSegment ? (store.subscription(subSegment)?.subscriptionId ?? subSegment) : undefined;

    let result: ArmResult;
    try {
      result = dispatch(armReq, req.headers.authorization, subscriptionId);
    } catch (err) {
      result = armError(500, "InternalServerError", `ARM emulator error: ${(err as Error).message}`);
    }
    let stallMs = 0;
    for (const f of pageFaults) {
      if (f.remaining <= 0 || result.status !== 200 || !faultMatches({ ...f.spec, status: 500 }, armReq.method, armReq.path, subscriptionId)) continue;
      f.remaining -= 1;
      f.hits += 1;
      stallMs = alterPage(f.spec, armReq, url, result);
      break;
    }
    if (stallMs > 0) await delay(stallMs);
    if (result.status === 429) throttledCount += 1;
    const apiVersion = armReq.query.get("api-version") ?? undefined;
    requests.push({
      method: armReq.method,
      path: armReq.path,
      query: queryRecord(armReq.query),
      ...(subscriptionId ? { subscriptionId } : {}),
      ...(apiVersion ? { apiVersion } : {}),
      status: result.status,
      at,
    });
    if (latencyMs > 0) await delay(latencyMs);
    const requestId = randomUUID();
    const correlation = req.headers["x-ms-correlation-request-id"];
    res.writeHead(result.status, {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-cache",
      "x-ms-request-id": requestId,
      "x-ms-correlation-request-id": typeof correlation === "string" ? correlation : requestId,
      "x-ms-routing-request-id": `EMULATOR:${requestId}`,
      ...result.headers,
    });
    res.end(result.body === undefined ? undefined : JSON.stringify(result.body));
  }

  const server = https.createServer({ key: serverCert.keyPem, cert: serverCert.certPem }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "InternalServerError", message: String(err) } }));
    });
  });
  const host = options.host ?? "127.0.0.1";
  let identityEndpoint: string;
  try {
    const port = await listen(server, host, options.port ?? 0);
    url = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
    identityEndpoint = await attachIdentity(listener);
  } catch (err) {
    if (server.listening) await stopServer(server);
    await rm(tempDir, { recursive: true, force: true });
    throw err;
  }

  const inCount = (r: RecordedRequest, o?: CountOptions) => o?.all === true || (r.status >= 200 && r.status < 300);
  let closed = false;

  const emulator: ArmEmulator = {
    url,
    identityEndpoint,
    identityHeader: identity.header,
    caCertPem: ca.certPem,
    caCertPath,
    get requests() {
      return requests;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    get tokenRequestCount() {
      return tokenRequests.filter((t) => t.status === 200).length;
    },
    get throttledCount() {
      return throttledCount;
    },

    env() {
      return {
        AUDIT_ARM_ENDPOINT: url,
        IDENTITY_ENDPOINT: identityEndpoint,
        IDENTITY_HEADER: identity.header,
        NODE_EXTRA_CA_CERTS: caCertPath,
        // A user-assigned client ID would make MSAL ask for that identity;
        // the other variables would select another credential or MI source.
        AZURE_CLIENT_ID: undefined,
        AZURE_TENANT_ID: undefined,
        AZURE_CLIENT_SECRET: undefined,
        AZURE_CLIENT_CERTIFICATE_PATH: undefined,
        AZURE_FEDERATED_TOKEN_FILE: undefined,
        AZURE_TOKEN_CREDENTIALS: undefined,
        IDENTITY_SERVER_THUMBPRINT: undefined,
        MSI_ENDPOINT: undefined,
        MSI_SECRET: undefined,
        IMDS_ENDPOINT: undefined,
      };
    },
    applyEnv(target = process.env) {
      const previous = new Map<string, string | undefined>();
      for (const [k, v] of Object.entries(emulator.env())) {
        previous.set(k, target[k]);
        if (v === undefined) delete target[k];
        else target[k] = v;
      }
      return () => {
        for (const [k, v] of previous) {
          if (v === undefined) delete target[k];
          else target[k] = v;
        }
      };
    },

    injectFault(spec) {
      const fault: ActiveFault = { spec, remaining: spec.times ?? Number.POSITIVE_INFINITY, hits: 0 };
      faults.push(fault);
      return {
        remove() {
          const i = faults.indexOf(fault);
          if (i >= 0) faults.splice(i, 1);
        },
        get hits() {
          return fault.hits;
        },
      };
    },
    injectPageFault(spec) {
      const fault: ActivePageFault = { spec, remaining: spec.times ?? Number.POSITIVE_INFINITY, hits: 0 };
      pageFaults.push(fault);
      return {
        remove() {
          const i = pageFaults.indexOf(fault);
          if (i >= 0) pageFaults.splice(i, 1);
        },
        get hits() {
          return fault.hits;
        },
      };
    },
    clearFaults() {
      faults.length = 0;
      pageFaults.length = 0;
    },

    upsertResource(resource) {
      store.upsert(resource);
    },
    removeResource(id) {
      return store.remove(id);
    },
    setTenant(tenant) {
      store.setTenant(tenant);
    },

    countBySubscription(o) {
      const out: Record<string, number> = {};
      for (const r of requests) if (r.subscriptionId && inCount(r, o)) out[r.subscriptionId] = (out[r.subscriptionId] ?? 0) + 1;
      return out;
    },
    countBySite(o) {
      const out: Record<string, number> = {};
      for (const r of requests) {
        const m = SITE_PATH.exec(r.path);
        if (!m || !inCount(r, o)) continue;
        const key = lower(m[1]! + (m[2] ?? ""));
        out[key] = (out[key] ?? 0) + 1;
      }
      return out;
    },
    total(o) {
      return requests.filter((r) => inCount(r, o)).length;
    },
    resetCounters() {
      requests.length = 0;
      tokenRequests.length = 0;
      throttledCount = 0;
    },

    async close() {
      if (closed) return;
      closed = true;
      await stopServer(server);
      await detachIdentity(listener);
      await rm(tempDir, { recursive: true, force: true });
    },
  };
  return emulator;
}
