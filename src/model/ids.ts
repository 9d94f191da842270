import { z } from "zod";

/** An Azure subscription ID: a GUID, in any letter case. */
export const SUBSCRIPTION_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const subscriptionIdSchema = z.string().regex(SUBSCRIPTION_ID_PATTERN, "a subscription ID (GUID)");

/** Subscription IDs compare case-insensitively; the first spelling of each is kept. */
export function uniqueSubscriptionIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => !seen.has(id.toLowerCase()) && seen.add(id.toLowerCase()));
}
