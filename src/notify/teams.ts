/**
 * The digest as a Teams message (AUDIT_WEBHOOK_FORMAT=teams): an Adaptive Card in the
 * message envelope that a Teams Workflows "When a Teams webhook request is received" trigger
 * posts to a channel. Teams rejects messages over about 28 KB, so the card is built at the
 * most detailed level that fits and summarised past that: fewer resources per rule, then
 * fewer rules, then counts only; the report link always stays.
 *
 * Only elements and enum values of the Adaptive Card schema (TextBlock, FactSet, Container,
 * Action.OpenUrl; lower-case enum values, which hosts read case-insensitively); text from
 * Azure is plain, with the Markdown TextBlocks interpret escaped.
 *
 * Microsoft Learn: "Create incoming webhooks with Workflows for Microsoft Teams",
 * https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
 * and "Format cards in Microsoft Teams" (message size limit),
 * https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format
 */
import type { Severity } from "../model/severity.js";
import { ownerLabel, shortResource } from "../report/text.js";
import type { DigestPayload } from "./digest.js";
import { groupByRule, type RuleGroup } from "./groups.js";

/** Teams' limit on a posted message is about 28 KB; stay under it with room for the envelope's headers. */
export const TEAMS_MAX_BYTES = 27_000;

type CardElement = Record<string, unknown>;

export interface TeamsMessage {
  type: "message";
  attachments: { contentType: "application/vnd.microsoft.card.adaptive"; contentUrl: null; content: AdaptiveCard }[];
}

export interface AdaptiveCard {
  $schema: string;
  type: "AdaptiveCard";
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: "Full" };
}

/** How much of the digest a card lists; each step down is smaller. */
interface Detail {
  /** Rule groups listed per section (Infinity: all). */
  groups: number;
  /** Resources listed per rule group. */
  resources: number;
  /** Whether each group carries its fix. */
  fix: boolean;
}

const LEVELS: Detail[] = [
  { groups: Infinity, resources: 20, fix: true },
  { groups: Infinity, resources: 5, fix: true },
  { groups: Infinity, resources: 3, fix: false },
  { groups: 10, resources: 1, fix: false },
  { groups: 3, resources: 1, fix: false },
  { groups: 0, resources: 0, fix: false },
];

const SECTIONS = [
  { key: "new", heading: "New" },
  { key: "escalated", heading: "Escalated" },
  { key: "resolved", heading: "Resolved" },
] as const;

/** The Teams message for a digest: the most detailed card under TEAMS_MAX_BYTES. */
export function teamsMessage(digest: DigestPayload): TeamsMessage {
  let message = envelope(card(digest, LEVELS[0]!));
  for (const level of LEVELS) {
    message = envelope(card(digest, level));
    if (byteLength(message) <= TEAMS_MAX_BYTES) return message;
  }
  return message;
}

/** The POST body for a Teams webhook from a stored digest's JSON (the outbox's `render`). */
export function teamsBody(digestJson: string): string {
  return JSON.stringify(teamsMessage(JSON.parse(digestJson) as DigestPayload));
}

export function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

function envelope(content: AdaptiveCard): TeamsMessage {
  return { type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content }] };
}

function card(digest: DigestPayload, detail: Detail): AdaptiveCard {
  const body: CardElement[] = [
    text(digest.subject, { size: "large", weight: "bolder" }),
    text(`Scan ${digest.scanId}`, { isSubtle: true, spacing: "none" }),
  ];
  const { coverage } = digest;
  if (coverage.incompleteSubscriptions.length > 0) {
    const names = coverage.incompleteSubscriptions.map((s) => `${plain(s.displayName || s.subscriptionId)} (${s.status})`).join(", ");
    body.push(
      text(`Incomplete scan: ${coverage.incompleteSubscriptions.length} subscription(s) not read completely: ${names}. Findings there may be missing, and nothing there was resolved.`, {
        color: "attention",
        weight: "bolder",
      }),
    );
  }
  body.push({
    type: "FactSet",
    facts: [
      ...SECTIONS.map((section) => ({ title: section.heading, value: String(digest[section.key].length) })),
      { title: "Subscriptions", value: `${coverage.complete} complete, ${coverage.partial} partial, ${coverage.failed} failed, ${coverage.skipped} skipped` },
      { title: "Owners", value: String(Object.keys(digest.byOwner).length) },
    ],
  });

  let cut = false;
  for (const section of SECTIONS) {
    const findings = digest[section.key];
    if (findings.length === 0) continue;
    const groups = groupByRule(findings);
    body.push(text(`${section.heading} (${findings.length})`, { size: "medium", weight: "bolder", separator: true }));
    if (detail.groups === 0) {
      body.push(text(byRuleLine(groups), { isSubtle: true }));
      cut = true;
      continue;
    }
    const shown = groups.slice(0, detail.groups);
    for (const group of shown) body.push(groupContainer(group, detail, section.key !== "resolved"));
    cut ||= shown.some((group) => group.findings.length > detail.resources) || (section.key !== "resolved" && !detail.fix);
    const rest = groups.slice(shown.length);
    if (rest.length > 0) {
      cut = true;
      body.push(text(`…and ${rest.length} more rule(s): ${byRuleLine(rest)}`, { isSubtle: true }));
    }
  }
  if (cut) body.push(text("This card is shortened to fit Teams; the full report lists every finding.", { isSubtle: true, separator: true }));

  const result: AdaptiveCard = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    msteams: { width: "Full" },
    body,
  };
  if (digest.reportUrl) result.actions = [{ type: "Action.OpenUrl", title: "Open the full report", url: digest.reportUrl }];
  return result;
}

function groupContainer(group: RuleGroup, detail: Detail, withFix: boolean): CardElement {
  const listed = group.findings.slice(0, detail.resources);
  const lines = listed.map((finding) => `- ${severityTag(finding.severity)} ${plain(shortResource(finding.resourceId))} (${plain(ownerLabel(finding))})`);
  if (group.findings.length > listed.length) lines.push(`- …and ${group.findings.length - listed.length} more`);
  const items: CardElement[] = [
    text(`${severityTag(group.worst)} ${plain(group.title)} (${group.ruleId}), ${group.findings.length} resource(s)`, { weight: "bolder" }),
  ];
  if (lines.length > 0) items.push(text(lines.join("\n"), { spacing: "small" }));
  if (withFix && detail.fix) items.push(text(`Fix: ${plain(group.remediation)}`, { isSubtle: true, spacing: "small" }));
  return { type: "Container", spacing: "medium", items };
}

function byRuleLine(groups: readonly RuleGroup[]): string {
  return groups.map((group) => `${group.ruleId} ${group.findings.length}`).join(", ");
}

function severityTag(severity: Severity): string {
  return `[${severity.toUpperCase()}]`;
}

function text(value: string, options: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text: value, wrap: true, ...options };
}

/** Text from Azure shown as itself: the Markdown characters a TextBlock interprets are escaped. */
function plain(value: string): string {
  return value.replace(/[\\`*_[\]#>]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}
