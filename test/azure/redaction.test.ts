/**
 * Redaction by pattern family, tested with a corpus of the secrets ARM error text (and
 * services echoing a request) has been seen to carry. Each entry names the secret part that
 * must disappear and, where it matters, text that must survive so the error stays useful.
 */
import { describe, expect, it } from "vitest";
import { collectionError, redactSecrets } from "../../src/azure/errors.js";

const JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLXBhcnQ";

const CORPUS: { text: string; secret: string; keep?: string }[] = [
  { text: "Authorization: Bearer eyJ0eXAi.abc.def was rejected", secret: "eyJ0eXAi.abc.def", keep: "was rejected" },
  { text: "Authorization: Basic dXNlcjpwYXNzd29yZA== invalid", secret: "dXNlcjpwYXNzd29yZA==", keep: "invalid" },
  { text: `token ${JWT} expired`, secret: "c2lnbmF0dXJlLXBhcnQ", keep: "expired" },
  { text: `id_token=${JWT}`, secret: "eyJhdWQi" },
  { text: "Server=tcp:db.database.windows.net;User ID=admin;Password=Sup3r$ecret!;Encrypt=True", secret: "Sup3r$ecret!", keep: "Encrypt=True" },
  { text: "server=x;uid=sa;pwd=hunter2;", secret: "hunter2" },
  { text: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=QUJDREVGR0g=;EntityPath=q", secret: "QUJDREVGR0g=", keep: "EntityPath=q" },
  { text: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5;EndpointSuffix=core.windows.net", secret: "c2VjcmV0a2V5", keep: "AccountName=acct" },
  { text: "grant_type=client_credentials&client_id=abc&client_secret=s3cr3t~value&scope=x", secret: "s3cr3t~value", keep: "client_id=abc" },
  { text: 'body {"clientSecret":"AbC.123~xyz","tenant":"t"}', secret: "AbC.123~xyz", keep: '"tenant":"t"' },
  { text: "{ \"password\": \"p@ss w0rd\" }", secret: "p@ss" },
  { text: "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=AbCdEf%2B123%3D&se=2027", secret: "AbCdEf%2B123%3D", keep: "sv=2022-11-02" },
  { text: "https://fn.azurewebsites.net/api/hook?code=Zm9vYmFyYmF6&x=1", secret: "Zm9vYmFyYmF6", keep: "x=1" },
  { text: "SharedAccessSignature sr=ns&sig=abc%3D&se=1&skn=Root", secret: "abc%3D" },
  { text: "Authorization: SharedKey acct:Zm9vYmFyYmF6cXV4", secret: "Zm9vYmFyYmF6cXV4" },
  { text: "cannot reach https://admin:Pa55word@kudu.scm.azurewebsites.net/api", secret: "Pa55word", keep: "kudu.scm.azurewebsites.net" },
  { text: "x-api-key: 0123456789abcdef0123", secret: "0123456789abcdef0123" },
  { text: "refresh_token=0.AXoA-long-refresh-token", secret: "0.AXoA-long-refresh-token" },
  { text: "ApiKey=AKIA1234567890", secret: "AKIA1234567890" },
  { text: "DOCKER_REGISTRY_SERVER_PASSWORD=registrypass123", secret: "registrypass123" },
];

describe("redactSecrets", () => {
  it.each(CORPUS)("removes the secret from $text", ({ text, secret, keep }) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain("<redacted");
    if (keep) expect(redacted).toContain(keep);
  });

  it("leaves ordinary ARM error text alone", () => {
    const texts = [
      "The client 'abc' with object id 'abc' does not have authorization to perform action 'Microsoft.Web/sites/read' over scope '/subscriptions/x'.",
      "The Resource 'Microsoft.Web/sites/app-1' under resource group 'rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
      "Number of 'read' requests for subscription 'x' exceeded. Please try again after '5' seconds.",
    ];
    for (const text of texts) expect(redactSecrets(text)).toBe(text);
  });

  it("is applied to every recorded collection error", () => {
    const error = Object.assign(new Error("bad request"), {
      statusCode: 400,
      details: { error: { code: "BadRequest", message: "connection failed: Password=hunter2;SharedAccessKey=QUJD; Basic dXNlcjpw" } },
    });
    const recorded = collectionError("op", "/x", error);
    expect(recorded.message).not.toMatch(/hunter2|QUJD|dXNlcjpw/);
    expect(recorded.code).toBe("BadRequest");
  });
});
