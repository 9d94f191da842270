/**
 * A finding's remediation as structured parts, for the report and the email: the rule's text,
 * Bicep and portal steps from its metadata, and the finding's own fix steps (real names). No
 * string is parsed apart: the finding's `fix` and the rule's metadata are the data.
 */
import type { Finding, FixStep } from "../model/finding.js";
import { ruleById } from "../rules/index.js";
import { attr, escapeHtml as esc } from "./escape.js";

export interface RemediationView {
  text: string;
  /** The fix's summary, when there is a fix. */
  summary?: string;
  steps: FixStep[];
  blockers: { code: string; message: string }[];
  bicep?: string;
  portal?: string[];
}

export function remediationView(finding: Pick<Finding, "ruleId" | "remediation" | "fix">): RemediationView {
  const meta = ruleById(finding.ruleId)?.meta.remediation;
  return {
    text: meta?.text ?? finding.remediation,
    ...(finding.fix ? { summary: finding.fix.summary } : {}),
    steps: finding.fix?.steps ?? [],
    blockers: finding.fix?.blockers ?? [],
    ...(meta?.bicep ? { bicep: meta.bicep } : {}),
    ...(meta?.portal ? { portal: meta.portal } : {}),
  };
}

/** Every command of the steps, one a line (what "Copy all" copies). */
export function stepCommands(steps: readonly FixStep[]): string {
  return steps.flatMap((step) => (step.command ? [step.command] : [])).join("\n");
}

/** Element ID of step `n` (1-based) of a finding or plan, so the email can link a step. */
export function stepAnchor(prefix: string, n: number): string {
  return `${prefix}-step-${n}`;
}

/**
 * The numbered steps, each command in a code block with its own copy button (the report's
 * script copies the element a `data-copy-target` names).
 */
export function renderSteps(steps: readonly FixStep[], prefix: string): string {
  if (steps.length === 0) return "";
  const items = steps.map((step, i) => {
    const id = stepAnchor(prefix, i + 1);
    const code = step.command
      ? `<div class="code-block"><div class="code-head"><span>Azure CLI</span><button type="button" class="copy" ${attr("data-copy-target", `${id}-cmd`)} ${attr("aria-label", `Copy the command of step ${i + 1}`)}>Copy</button></div>` +
        `<pre class="code"><code ${attr("id", `${id}-cmd`)}>${esc(step.command)}</code></pre></div>`
      : `<p class="step-manual">No command: a portal or manual step.</p>`;
    return `<li ${attr("id", id)} class="fix-step"><p>${esc(step.description)}</p>${code}</li>`;
  });
  return `<ol class="fix-steps">${items.join("")}</ol>`;
}

export function renderBlockers(blockers: RemediationView["blockers"]): string {
  if (blockers.length === 0) return "";
  return `<ul class="blockers">${blockers.map((b) => `<li><span class="mono blocker-code">${esc(b.code)}</span> ${esc(b.message)}</li>`).join("")}</ul>`;
}
