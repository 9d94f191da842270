/**
 * The rule contract. A rule is data (`meta`) plus two pure functions: `select` says what it
 * looks at, through the named selectors every rule shares (selectors.ts), and `judge` gives
 * one verdict per selected item: pass, fail (a finding) or unknown (the inventory can't say).
 * `defineRule` joins them; the engine (src/engine/evaluate.ts) builds the inventory index
 * once, runs every rule, applies `meta.reads` (a pass judged without a read the rule declares
 * is unknown) and counts what each rule checked.
 */
import type { Inventory, Site } from "../model/inventory.js";
import type { Severity } from "../model/severity.js";
import type { InventoryIndex } from "./inventory-index.js";

export type RuleCategory = "subnet" | "gateway" | "routing-dns" | "certificates" | "inbound";

/** The type of the resource a rule's findings name; `Microsoft.Web/sites` includes slots (`Microsoft.Web/sites/slots`). */
export type RuleResourceType =
  | "Microsoft.Web/sites"
  | "Microsoft.Web/serverFarms"
  | "Microsoft.Web/certificates"
  | "Microsoft.Network/virtualNetworks"
  | "Microsoft.Network/virtualNetworks/subnets";

/** A per-site read beyond the lists (`Site["reads"]`): collection makes it only for sites a rule that declares it can select (reads.ts). */
export type SiteRead = keyof Site["reads"];

/** Everything about a rule that is data: reports, docs and the README table are generated from it. */
export interface RuleMetadata {
  /** Stable ID (RULES.md); never changes once shipped. */
  id: string;
  title: string;
  category: RuleCategory;
  resourceType: RuleResourceType;
  /** Every severity this rule can emit, highest first. */
  severities: Severity[];
  /**
   * The fixed numbers and dates the rule judges by, by name; each is also exported as a constant
   * from the rule's module, so the report and the docs show the value the rule uses.
   */
  thresholds: Readonly<Record<string, number | string>>;
  /** The section of `RuleSettings` (the config file) that tunes this rule's thresholds, if any. */
  settings?: keyof RuleSettings;
  /**
   * The per-site reads (beyond the lists) that what the rule selects or how it judges depends on;
   * collection makes them only where such a rule needs them (reads.ts). When one of them was
   * refused, failed or found nothing for a site the rule judged, a pass on that site is unknown:
   * the unread value might have changed it.
   */
  reads: readonly SiteRead[];
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

/** What a failing verdict says; the engine adds the resource, id, title, references and suppression. */
export interface Failure {
  severity: Severity;
  /** One sentence with the concrete numbers. */
  message: string;
  evidence: Record<string, unknown>;
  /** Subscriptions besides the resource's own whose data this verdict depends on (hub DNS zones). */
  dependsOnSubscriptions?: string[];
}

export type Verdict = { outcome: "pass" } | ({ outcome: "fail" } & Failure) | { outcome: "unknown"; reason: string };

export const pass = (): Verdict => ({ outcome: "pass" });
export const fail = (failure: Failure): Verdict => ({ outcome: "fail", ...failure });
export const unknown = (reason: string): Verdict => ({ outcome: "unknown", reason });

/** The resource a verdict is about: the finding's `resourceId` and `subscriptionId`. */
export interface RuleTarget {
  resourceId: string;
  subscriptionId: string;
}

/** A verdict with the resource it names. */
export type TargetedVerdict = Verdict & RuleTarget;

/** A failing verdict as the engine and the fix planner read it. */
export type RuleResult = Failure & RuleTarget;

export interface RuleDefinition<Item> {
  meta: RuleMetadata;
  /** What the rule looks at: one item per resource it judges, from the named selectors. */
  select(index: InventoryIndex, context: RuleContext): readonly Item[];
  /** The resource a verdict on the item names. */
  target(item: NoInfer<Item>): RuleTarget;
  judge(item: NoInfer<Item>, context: RuleContext & { index: InventoryIndex }): Verdict;
}

/** A rule as the engine runs it: its metadata and every verdict it gives on an indexed inventory. */
export interface Rule {
  readonly meta: RuleMetadata;
  verdicts(index: InventoryIndex, context: RuleContext): TargetedVerdict[];
}

export function defineRule<Item>(definition: RuleDefinition<Item>): Rule {
  const { meta, select, target, judge } = definition;
  return {
    meta,
    verdicts(index, context) {
      const judgeContext = { ...context, index };
      return select(index, context).map((item) => ({ ...judge(item, judgeContext), ...target(item) }));
    },
  };
}
