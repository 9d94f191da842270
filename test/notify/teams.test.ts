/**
 * The Teams digest (AUDIT_WEBHOOK_FORMAT=teams) validated against the Adaptive Card JSON
 * schema that the adaptivecards-designer package ships, with ajv: the whole card, and every
 * element of its body (the schema checks only the first element of an array on its own).
 * The rendered card goes to test-output/ so it can be pasted into a card designer.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Ajv } from "ajv";
import draft06 from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { findingId, type Finding } from "../../src/model/finding.js";
import type { Severity } from "../../src/model/severity.js";
import { buildDigest, digestCoverage, type DigestPayload } from "../../src/notify/digest.js";
import { byteLength, TEAMS_MAX_BYTES, teamsMessage, type TeamsMessage } from "../../src/notify/teams.js";
import { REPO_ROOT } from "../support/cli.js";

const require = createRequire(import.meta.url);
const { adaptiveCardSchema } = require("adaptivecards-designer/lib/adaptive-card-schema.js") as { adaptiveCardSchema: Record<string, unknown> & { id: string } };

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft06);
// The shipped schema names itself with draft-04's `id`; ajv 8 reads the same value as `$id`.
const { id: schemaId, ...schemaBody } = adaptiveCardSchema;
ajv.addSchema({ $id: schemaId, ...schemaBody }, "adaptive-card");
const validateCard = ajv.getSchema("adaptive-card")!;
const validateElement = (type: string) => ajv.compile({ $ref: `${schemaId}#/definitions/${type}` });

const SUB = "aaaaaaaa-0000-4000-8000-00000000000a";
const NOW = new Date("2026-12-01T02:00:00Z");

function finding(rule: string, name: string, severity: Severity, owner: string | null): Finding {
  const resourceId = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/${name}`;
  return {
    id: findingId(rule, resourceId),
    ruleId: rule,
    severity,
    title: rule === "https-only-disabled" ? "Site accepts plain HTTP requests" : "Site uses gateway-required (legacy) VNet integration",
    resourceId,
    subscriptionId: SUB,
    message: `Site ${name} needs attention.`,
    remediation: "Turn on HTTPS Only. az webapp update --name app --resource-group rg --https-only true",
    evidence: {},
    references: ["https://learn.microsoft.com/azure/app-service/overview-security"],
    suppressed: null,
    owner,
    fix: null,
  };
}

function digestOf(findings: Finding[], resolved: Finding[] = []): DigestPayload {
  return buildDigest({
    scanId: "6f1c0000-0000-4000-8000-000000000001",
    changes: { new: findings, escalated: [], resolved },
    minSeverity: "low",
    now: NOW,
    coverage: digestCoverage([
      { subscriptionId: SUB, displayName: "Contoso Apps Prod", status: "complete" },
      { subscriptionId: "bbbbbbbb-0000-4000-8000-00000000000b", displayName: "Contoso Sandbox", status: "failed" },
    ]),
    reportUrl: "https://contosoaudit.blob.core.windows.net/reports/runs/6f1c/report.html?sv=2025-01-05&sr=b&sp=r&sig=x",
  })!;
}

function expectValid(message: TeamsMessage): void {
  expect(message.type).toBe("message");
  expect(message.attachments).toHaveLength(1);
  const [attachment] = message.attachments;
  expect(attachment!.contentType).toBe("application/vnd.microsoft.card.adaptive");
  const card = attachment!.content;
  expect(validateCard(card), JSON.stringify(validateCard.errors)).toBe(true);
  const walk = (elements: Record<string, unknown>[]) => {
    for (const element of elements) {
      const validate = validateElement(String(element.type));
      expect(validate(element), `${String(element.type)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      if (Array.isArray(element.items)) walk(element.items as Record<string, unknown>[]);
    }
  };
  walk(card.body);
  for (const action of card.actions ?? []) expect(validateElement(String(action.type))(action)).toBe(true);
}

describe("Teams digest (Adaptive Card message)", () => {
  it("is a valid Adaptive Card that says the scan was incomplete, groups findings by rule, names owners and links the report", () => {
    const findings = [
      finding("https-only-disabled", "app-shop", "medium", "web@contoso.com"),
      finding("https-only-disabled", "app-blog", "medium", null),
      finding("gateway-integration-legacy", "app-crm", "high", "crm@contoso.com"),
    ];
    const message = teamsMessage(digestOf(findings));
    expectValid(message);
    const card = message.attachments[0]!.content;
    const texts = JSON.stringify(card.body);
    expect(texts).toContain("Incomplete scan: 1 subscription(s) not read completely: Contoso Sandbox (failed)");
    // One container per rule, listing its resources.
    const containers = card.body.filter((element) => element.type === "Container");
    expect(containers).toHaveLength(2);
    expect(JSON.stringify(containers[1])).toMatch(/rg-web\/sites\/app-blog \(unowned\).*rg-web\/sites\/app-shop \(web@contoso\.com\)/);
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", title: "Open the full report", url: expect.stringContaining("sp=r") }]);

    mkdirSync(join(REPO_ROOT, "test-output"), { recursive: true });
    writeFileSync(join(REPO_ROOT, "test-output", "teams-card.json"), `${JSON.stringify(message, null, 2)}\n`);
  });

  it("fits Teams' size limit when the digest is large: summarised, still valid, still linking the report", () => {
    // 1,500 findings over 15 rules: at full detail (20 resources and the fix per rule) far over the limit.
    const many = Array.from({ length: 1500 }, (_, index) =>
      finding(`rule-${index % 15}`, `app-${"x".repeat(40)}-${index}`, index % 3 ? "high" : "critical", `team-${index % 40}@contoso.com`),
    );
    const digest = digestOf(many, many.slice(0, 300));
    expect(byteLength(digest)).toBeGreaterThan(TEAMS_MAX_BYTES);
    const message = teamsMessage(digest);
    expect(byteLength(message)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expectValid(message);
    const body = JSON.stringify(message);
    expect(body).toContain("shortened to fit Teams");
    expect(body).toContain("Open the full report");
    expect(message.attachments[0]!.content.body.find((element) => element.type === "FactSet")).toMatchObject({ facts: expect.arrayContaining([{ title: "New", value: "1500" }]) });
  });

  it("shows Azure's text as text: Markdown characters in names are escaped", () => {
    const tricky = finding("https-only-disabled", "app_[x]*y", "high", "owner_*team*");
    const body = JSON.stringify(teamsMessage(digestOf([tricky])));
    expect(body).toContain("app\\\\_\\\\[x\\\\]\\\\*y");
    expect(body).not.toContain("owner_*team*");
  });
});
