import type { Inventory } from "../model/inventory.js";
import type { Severity } from "../model/severity.js";

export type RuleCategory = "subnet" | "gateway" | "routing-dns" | "certificates" | "inbound";

/** The type of the resource a rule's findings name; `Microsoft.Web/sites` includes slots (`Microsoft.Web/sites/slots`). */
export type RuleResourceType =
  | "Microsoft.Web/sites"
  | "Microsoft.Web/serverFarms"
  | "Microsoft.Web/certificates"
  | "Microsoft.Network/virtualNetworks"
  | "Microsoft.Network/virtualNetworks/subnets";

/** Everything about a rule that is data: reports, docs and the README table are generated from it. */
export interface RuleMetadata {
  /** Stable ID (RULES.md); never changes once shipped. */
  id: string;
  title: string;
  category: RuleCategory;
  resourceType: RuleResourceType;
  /** Every severity this rule can emit, highest first. */
  severities: Severity[];
  /** Why it matters, one or two sentences. */
  rationale: string;
  /**
   * What fixes it, as data. The runnable commands, with the resource's real names, are each
   * finding's `fix` (src/fix/); these say which commands and where in the portal.
   */
  remediation: {
    text: string;
    /** The `az` command(s) the fix runs, by name and the flags that matter (no placeholders). */
    az?: string;
    /** A Bicep snippet in terms of its parameters, where one helps. */
    bicep?: string;
    /** Portal steps, where a person would click instead (or the CLI has no command). */
    portal?: string[];
  };
  references: string[];
}

/** Thresholds a user may tune in the config file. */
export interface RuleSettings {
  certificateExpiry: { highWithinDays: number; mediumWithinDays: number };
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  certificateExpiry: { highWithinDays: 14, mediumWithinDays: 30 },
};

export interface RuleContext {
  inventory: Inventory;
  /** The evaluation clock; rules never read the system clock. */
  now: Date;
  settings: RuleSettings;
}

/** What a rule returns for one resource; the engine adds id, title, references and suppression. */
export interface RuleResult {
  resourceId: string;
  subscriptionId: string;
  severity: Severity;
  /** One sentence with the concrete numbers. */
  message: string;
  evidence: Record<string, unknown>;
  /** Subscriptions besides `subscriptionId` whose data this result depends on (hub DNS zones). */
  dependsOnSubscriptions?: string[];
}

export interface Rule {
  meta: RuleMetadata;
  evaluate(context: RuleContext): RuleResult[];
}
