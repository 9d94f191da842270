import { readFile } from "node:fs/promises";
import { z } from "zod";
import { subscriptionIdSchema, uniqueSubscriptionIds } from "../model/ids.js";
import { SEVERITIES } from "../model/severity.js";
import type { Suppression } from "../model/finding.js";
import { RULES } from "../rules/index.js";
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from "../rules/rule.js";

/** An Azure tag name: 1-512 characters, none of `< > % & \ ? /` (Azure's own limits). */
export const ownerTagSchema = z.string().trim().min(1, "a tag name").max(512).regex(/^[^<>%&\\?/]+$/, "a tag name without < > % & \\ ? /");

/**
 * The config file (`--config FILE`, JSON). Unknown keys are errors, so a typo never silently
 * turns a suppression or threshold off.
 */
export function configFileSchema(knownRuleIds: readonly string[]) {
  const ruleId = z
    .string()
    .refine((value) => value === "*" || knownRuleIds.includes(value), { message: `a rule ID (${knownRuleIds.join(", ")}) or "*"` });
  // A date holds through that UTC day; a time (UTC, `Z`) holds until that instant.
  const isoDate = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?Z)?$/, "a date like 2027-01-31 (or a UTC time like 2027-01-31T18:00:00Z)")
    .refine(isCalendarDate, "a real calendar date");
  const positiveDays = z.number().int().min(0).max(3650);

  return z
    .strictObject({
      $schema: z.string().optional(),
      subscriptions: z.array(subscriptionIdSchema).transform(uniqueSubscriptionIds).optional(),
      failOn: z.enum(SEVERITIES).optional(),
      suppressions: z
        .array(
          z.strictObject({
            ruleId,
            resourceId: z.string().min(1, "a resource ID or glob"),
            reason: z.string().trim().min(1, "a non-empty reason"),
            expiresOn: isoDate.optional(),
          }),
        )
        .default([]),
      certificateExpiry: z
        .strictObject({
          highWithinDays: positiveDays.default(DEFAULT_RULE_SETTINGS.certificateExpiry.highWithinDays),
          mediumWithinDays: positiveDays.default(DEFAULT_RULE_SETTINGS.certificateExpiry.mediumWithinDays),
        })
        .refine((value) => value.mediumWithinDays >= value.highWithinDays, {
          message: "mediumWithinDays at least highWithinDays",
          path: ["mediumWithinDays"],
        })
        .optional(),
      concurrency: z
        .strictObject({
          subscriptions: z.number().int().min(1).max(64).optional(),
          reads: z.number().int().min(1).max(64).optional(),
        })
        .optional(),
      owners: z.strictObject({ tag: ownerTagSchema }).optional(),
    });
}

/** What each config-file field means (the README's table is generated from this; a test checks it covers the schema). */
export const CONFIG_FILE_FIELDS: Record<string, string> = {
  subscriptions: "Subscription IDs to audit; overrides AUDIT_SUBSCRIPTIONS; `--subscription` overrides both.",
  failOn: "Lowest severity that makes the CLI exit 1 (same as `--fail-on`, which wins).",
  suppressions: "List of accepted risks. Each has `ruleId` (a rule ID or `*`), `resourceId` (an ARM ID or glob: `*` any characters, `?` one; case-insensitive), a required `reason`, and an optional `expiresOn` (YYYY-MM-DD, inclusive; or a UTC time YYYY-MM-DDThh:mm[:ss]Z, until that instant). A suppressed finding is still reported, marked `suppressed`, and not counted or alerted; once expired it counts again and the report says its suppression expired.",
  certificateExpiry: `\`highWithinDays\` (default ${DEFAULT_RULE_SETTINGS.certificateExpiry.highWithinDays}) and \`mediumWithinDays\` (default ${DEFAULT_RULE_SETTINGS.certificateExpiry.mediumWithinDays}) for \`certificate-expiring\`.`,
  concurrency: "`subscriptions` scanned at once and per-resource `reads` in flight per subscription (1-64).",
  owners: "`tag`: the tag whose value names a finding's owner (matched case-insensitively; overrides AUDIT_OWNER_TAG; default `owner`). Looked up on the resource (a subnet's VNet), then the site's plan, then the resource group.",
  $schema: "Ignored; lets editors attach a schema.",
};

export interface AuditConfig {
  subscriptions?: string[];
  failOn?: (typeof SEVERITIES)[number];
  suppressions: Suppression[];
  ruleSettings: RuleSettings;
  concurrency: { subscriptions?: number; reads?: number };
  /** The owner tag's name from the config file; callers fall back to AUDIT_OWNER_TAG (`withOwnerTag`). */
  ownerTag?: string;
}


/** The config with the owner tag resolved: the config file's `owners.tag` wins over AUDIT_OWNER_TAG. */
export function withOwnerTag(config: AuditConfig, fromSetting: string): AuditConfig {
  return config.ownerTag ? config : { ...config, ownerTag: fromSetting };
}

export class ConfigError extends Error {}

export function parseConfig(raw: unknown, knownRuleIds: readonly string[], source = "config"): AuditConfig {
  const tooDeep = deeperThan(raw, MAX_JSON_DEPTH);
  if (tooDeep) throw new ConfigError(`${source}: ${tooDeep} is nested deeper than ${MAX_JSON_DEPTH} levels; a config file is a few levels deep`);
  const parsed = configFileSchema(knownRuleIds).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    const value = valueAt(raw, issue.path);
    const shown = value === undefined ? "" : ` ${JSON.stringify(value)?.slice(0, 80)}`;
    throw new ConfigError(`${source}: ${path}${shown} is not valid: expected ${describeIssue(issue)}`);
  }
  const data = parsed.data;
  return {
    subscriptions: data.subscriptions,
    failOn: data.failOn,
    suppressions: data.suppressions,
    ruleSettings: { certificateExpiry: data.certificateExpiry ?? DEFAULT_RULE_SETTINGS.certificateExpiry },
    concurrency: data.concurrency ?? {},
    ...(data.owners ? { ownerTag: data.owners.tag } : {}),
  };
}

export async function loadConfigFile(path: string, knownRuleIds: readonly string[]): Promise<AuditConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`--config ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let raw: unknown;
  try {
    raw = parseJsonText(text);
  } catch (error) {
    throw new ConfigError(`--config ${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseConfig(raw, knownRuleIds, path);
}

/**
 * The AUDIT_CONFIG app setting: the config file's JSON, for the function app (which has no
 * file to point at). Empty means defaults. Errors name the setting, as the CLI's name the file.
 */
export function configFromSetting(json: string, knownRuleIds: readonly string[] = RULES.map((rule) => rule.meta.id)): AuditConfig {
  if (json.trim() === "") return defaultConfig();
  let raw: unknown;
  try {
    raw = parseJsonText(json);
  } catch (error) {
    throw new ConfigError(`AUDIT_CONFIG: not valid JSON (${(error as Error).message})`);
  }
  return parseConfig(raw, knownRuleIds, "AUDIT_CONFIG");
}

export function defaultConfig(): AuditConfig {
  return { suppressions: [], ruleSettings: DEFAULT_RULE_SETTINGS, concurrency: {} };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `no unknown keys (${issue.keys.join(", ")})`;
  if (issue.code === "invalid_type") return issue.expected;
  if (issue.code === "invalid_value") return `one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
  return issue.message;
}

/** Deeper than any config or inventory needs; validating deeper input would overflow the stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * The path (a.b.0) where a parsed JSON value goes deeper than `maxDepth`, or undefined.
 * Iterative, so the check itself cannot overflow the stack.
 */
export function deeperThan(value: unknown, maxDepth: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: "(root)" }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= maxDepth) return path;
    for (const [key, child] of Object.entries(current)) stack.push({ value: child, depth: depth + 1, path: path === "(root)" ? key : `${path}.${key}` });
  }
  return undefined;
}

/** JSON.parse, with a stack overflow on absurd nesting reported like any other syntax error. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) throw new SyntaxError("nested too deeply to read");
    throw error;
  }
}

/** `Date` rolls 2027-02-31 over to March; a suppression date must exist as written. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let current = raw;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
