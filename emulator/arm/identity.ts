/**
 * The App Service managed-identity endpoint (`IDENTITY_ENDPOINT` / `IDENTITY_HEADER`), shared
 * by every emulator in a process.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { TokenRequestRecord } from "./types.js";
import { listen, stopServer } from "./listen.js";
import { lower } from "./wire.js";

// The App Service managed-identity endpoint, shared per process
// ---------------------------------------------------------------------------
//
// MSAL caches the managed-identity source (endpoint URL and secret header)
// in a static field the first time a token is requested in a process
// (ManagedIdentityClient.identitySource), and its token cache is static as
// well. A second emulator in the same process with its own identity server
// would never be called. So there is one identity endpoint per process, with
// one header, one token registry, and the same port across restarts: the
// last emulator to close stops it, the next one listens again on that port.

export interface IssuedToken {
  resource: string;
  expiresAt: number;
}

export interface IdentityListener {
  url: string;
  onTokenRequest(record: TokenRequestRecord, resourceMatches: boolean): void;
}

export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60; // App Service tokens last about a day
export const identity = {
  header: randomBytes(24).toString("base64url"),
  clientId: randomUUID(),
  tokens: new Map<string, IssuedToken>(),
  listeners: new Set<IdentityListener>(),
  server: undefined as http.Server | undefined,
  port: 0,
  /** Serialises start/stop so concurrent emulators share one server. */
  lock: Promise.resolve() as Promise<unknown>,
};

export function withIdentityLock<T>(fn: () => Promise<T>): Promise<T> {
  const next = identity.lock.then(fn, fn);
  identity.lock = next.catch(() => undefined);
  return next;
}

export function normalizeResource(resource: string): string {
  return lower(resource.replace(/\/+$/, ""));
}

export function handleTokenRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const resource = url.searchParams.get("resource") ?? undefined;
  const apiVersion = url.searchParams.get("api-version") ?? undefined;
  const selector: Record<string, string> = {};
  for (const key of ["client_id", "mi_res_id", "object_id", "principal_id"]) {
    const v = url.searchParams.get(key);
    if (v) selector[key] = v;
  }
  const record = (status: number) => {
    const rec: TokenRequestRecord = { status, at: Date.now(), ...(resource !== undefined ? { resource } : {}), ...(apiVersion ? { apiVersion } : {}), ...(Object.keys(selector).length ? { identity: selector } : {}) };
    const matches = [...identity.listeners].filter((l) => resource !== undefined && normalizeResource(l.url) === normalizeResource(resource));
    // A token for an unknown resource is reported to every emulator, so a
    // test sees a wrong scope instead of silently nothing.
    for (const l of identity.listeners) if (matches.length === 0 || matches.includes(l)) l.onTokenRequest(rec, matches.includes(l));
  };
  const fail = (status: number, message: string) => {
    record(status);
    reply(status, { statusCode: status, message, correlationId: randomUUID() });
  };

  if (!/^\/msi\/token\/?$/i.test(url.pathname)) return fail(404, `No route for ${url.pathname}.`);
  if (req.method !== "GET") return fail(405, `Method ${req.method} is not allowed.`);
  const header = req.headers["x-identity-header"];
  if (header === undefined) return fail(400, "The X-IDENTITY-HEADER header is missing.");
  if (header !== identity.header) return fail(401, "The X-IDENTITY-HEADER header is invalid.");
  if (apiVersion !== "2019-08-01") return fail(400, `Unsupported api-version '${apiVersion ?? ""}'; expected 2019-08-01.`);
  if (!resource) return fail(400, "The resource query parameter is required.");

  const token = `emu.${randomBytes(24).toString("base64url")}`;
  const expiresOn = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS;
  identity.tokens.set(token, { resource, expiresAt: expiresOn * 1000 });
  record(200);
  // Field types as App Service sends them: expires_on is a string of epoch seconds.
  reply(200, { access_token: token, expires_on: String(expiresOn), resource, token_type: "Bearer", client_id: identity.clientId });
}

export function attachIdentity(listener: IdentityListener): Promise<string> {
  return withIdentityLock(async () => {
    identity.listeners.add(listener);
    if (!identity.server) {
      const server = http.createServer(handleTokenRequest);
      try {
        // Same port as last time, so an endpoint MSAL cached still works.
        identity.port = await listen(server, "127.0.0.1", identity.port);
      } catch {
        identity.port = await listen(server, "127.0.0.1", 0);
      }
      identity.server = server;
    }
    return `http://127.0.0.1:${identity.port}/msi/token`;
  });
}

export function detachIdentity(listener: IdentityListener): Promise<void> {
  return withIdentityLock(async () => {
    identity.listeners.delete(listener);
    if (identity.listeners.size === 0 && identity.server) {
      const server = identity.server;
      identity.server = undefined;
      await stopServer(server);
    }
  });
}
