import type { DigestPayload } from "../../src/notify/digest.js";

/** A minimal digest body for outbox tests: one scan, nothing listed, full coverage, no report link. */
export function digestPayload(scanId: string, text = "1 new finding"): DigestPayload {
  return {
    scanId,
    subject: "vnet-audit: 1 new (1 high)",
    text,
    html: "<p>1 new</p>",
    new: [],
    escalated: [],
    resolved: [],
    byOwner: {},
    coverage: { complete: 1, partial: 0, failed: 0, skipped: 0, incompleteSubscriptions: [] },
    reportUrl: null,
  };
}
