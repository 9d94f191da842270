import { z } from "zod";
import { subscriptionIdSchema, uniqueSubscriptionIds } from "../model/ids.js";
import { SEVERITIES } from "../model/severity.js";
import { DEFAULT_OWNER_TAG } from "../engine/owners.js";
import { ownerTagSchema } from "./file.js";
import { webhookUrlProblem } from "../notify/webhook-url.js";

/**
 * Every environment variable / Functions app setting the code reads, validated once at the
 * boundary. The descriptions are data: the README's configuration table and the infra test
 * are generated from / checked against this object.
 */
export const SETTINGS = {
  AUDIT_ARM_ENDPOINT: {
    description: "Resource Manager base URL (sovereign clouds, Azure Stack, a local emulator). The token scope follows it.",
    required: false,
    default: "https://management.azure.com",
  },
  AUDIT_SUBSCRIPTIONS: {
    description: "Comma-separated subscription allow-list; empty means every subscription the identity can see.",
    required: false,
    default: "",
  },
  AUDIT_WEBHOOK_URL: {
    description: "Alert digest webhook: https to a public host (http only to loopback off App Service, for a local receiver; never user:password@, link-local, metadata or private address literals). No URL: no digest is sent.",
    required: false,
    default: "",
  },
  AUDIT_WEBHOOK_SECRET: {
    description: "HMAC-SHA256 key; the digest carries X-Audit-Signature: sha256=<hex> over the raw body.",
    required: false,
    default: "",
  },
  AUDIT_MIN_ALERT_SEVERITY: {
    description: "Lowest severity listed in a digest.",
    required: false,
    default: "high",
  },
  AUDIT_SCHEDULE: {
    description: "NCRONTAB schedule of the tenant scan (Functions timer).",
    required: false,
    default: "0 0 2 * * *",
  },
  AUDIT_CONFIG: {
    description: "The config file's JSON (suppressions, thresholds, failOn; see Config file) for the function app and `scan --store`; `--config` wins on the CLI.",
    required: false,
    default: "",
  },
  AUDIT_OWNER_TAG: {
    description: "Tag whose value names a finding's owner (case-insensitive name), on the resource, else the site's plan, else the resource group; the config file's owners.tag wins.",
    required: false,
    default: DEFAULT_OWNER_TAG,
  },
  AUDIT_WEBHOOK_FORMAT: {
    description: "Digest body: json (the digest object) or teams (an Adaptive Card message for a Teams Workflows webhook).",
    required: false,
    default: "json",
  },
  AUDIT_REPORT_LINK_DAYS: {
    description: "Days the digest's link to the run's HTML report stays valid (a read-only SAS); 0 for no link.",
    required: false,
    default: "7",
  },
  AUDIT_STORAGE: {
    description: "Storage connection string for findings, runs, reports and the digest outbox; overrides AzureWebJobsStorage. The function app's fan-out queue always uses AzureWebJobsStorage.",
    required: false,
    default: "",
  },
  AzureWebJobsStorage: {
    description: "Functions host storage; used for findings when AUDIT_STORAGE is unset. UseDevelopmentStorage=true means Azurite.",
    required: false,
    default: "",
  },
} as const;

export type SettingName = keyof typeof SETTINGS;


function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export const settingsSchema = z.object({
  AUDIT_ARM_ENDPOINT: z
    .url({ message: "an absolute https URL" })
    .refine((value) => value.startsWith("https://"), "an https URL")
    .default(SETTINGS.AUDIT_ARM_ENDPOINT.default)
    .transform((value) => value.replace(/\/+$/, "")),
  AUDIT_SUBSCRIPTIONS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(subscriptionIdSchema))
    .transform(uniqueSubscriptionIds),
  AUDIT_WEBHOOK_URL: z
    .string()
    .default("")
    .refine((value) => {
      if (value === "") return true;
      try {
        const url = new URL(value);
        return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname));
      } catch {
        return false;
      }
    }, "an https URL (http only on loopback)"),
  AUDIT_WEBHOOK_SECRET: z.string().default(""),
  AUDIT_MIN_ALERT_SEVERITY: z.enum(SEVERITIES).default("high"),
  AUDIT_SCHEDULE: z.string().min(1).default(SETTINGS.AUDIT_SCHEDULE.default),
  // Parsed against the config-file schema where the rule IDs are known (cycle/deps.ts, cli/main.ts).
  AUDIT_CONFIG: z.string().default(""),
  AUDIT_OWNER_TAG: ownerTagSchema.default(DEFAULT_OWNER_TAG),
  AUDIT_WEBHOOK_FORMAT: z.enum(["json", "teams"]).default("json"),
  AUDIT_REPORT_LINK_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  AUDIT_STORAGE: z.string().default(""),
  AzureWebJobsStorage: z.string().default(""),
});

export type Settings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {}

/** Reads the settings from an environment; empty strings count as unset. Throws a one-line SettingsError. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const input: Record<string, string> = {};
  for (const name of Object.keys(SETTINGS)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") input[name] = value.trim();
  }
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "setting");
    // Never echo the value of a secret-bearing setting.
    // Never echo a setting that can carry a secret: webhook URLs embed signatures (sig=...) or are secret as a whole.
    const secretBearing = ["AUDIT_WEBHOOK_SECRET", "AUDIT_WEBHOOK_URL", "AUDIT_STORAGE", "AzureWebJobsStorage"];
    const shown = secretBearing.includes(name) ? "<hidden>" : JSON.stringify(input[name] ?? "");
    throw new SettingsError(`${name}=${shown} is not valid: expected ${issue.message}`);
  }
  // The webhook URL's rules depend on where the app runs (notify/webhook-url.ts).
  const webhookProblem = parsed.data.AUDIT_WEBHOOK_URL ? webhookUrlProblem(parsed.data.AUDIT_WEBHOOK_URL, env) : undefined;
  if (webhookProblem) throw new SettingsError(`AUDIT_WEBHOOK_URL=<hidden> is not valid: expected ${webhookProblem}`);
  return parsed.data;
}
