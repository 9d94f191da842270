import type { ScanResult } from "../engine/result.js";
import { readableTime, readableTimes } from "../util/time.js";
import { activeFindings, errorCauses, expiredSuppressions, ownerLabel, severityLine, shortResource } from "./text.js";

export interface TableOptions {
  /** The terminal's width: the message column wraps to fit it. No width, no wrapping. */
  width?: number;
}

/** Narrowest the message column gets before the resource and subscription columns give way. */
const MIN_MESSAGE_WIDTH = 32;
/** Narrowest a truncated column gets. */
const MIN_TRUNCATED_WIDTH = 16;
/** Where a row's message starts in a terminal too narrow for it beside the other columns. */
const STACKED_INDENT = 4;

/**
 * A plain-text report for a terminal: subscriptions (and one line per collection failure cause),
 * then findings, then the summary. Messages wrap to the width; resources and subscription names
 * are shortened with "…" if they must be. The full text is in the json, csv and markdown formats.
 */
export function renderTable(result: ScanResult, options: TableOptions = {}): string {
  const lines: string[] = [];
  lines.push(`Scan ${result.scanId}, ${readableTime(result.startedAt)}`, "");
  lines.push(formatColumns(["SUBSCRIPTION", "STATUS", "ERRORS"], result.subscriptions.map((s) => [`${s.displayName} (${s.subscriptionId})`, s.status, String(s.errors.length)])));
  for (const subscription of result.subscriptions) {
    for (const cause of errorCauses(subscription)) lines.push(...wrapWords(`  ! ${cause}`, options.width, "    "));
  }
  lines.push("");
  const findings = activeFindings(result);
  if (findings.length === 0) {
    lines.push("No findings.");
  } else {
    const names = new Map(result.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.displayName]));
    lines.push(
      formatColumns(
        ["SEVERITY", "RULE", "SUBSCRIPTION", "RESOURCE", "OWNER", "MESSAGE"],
        findings.map((f) => [f.severity, f.ruleId, names.get(f.subscriptionId.toLowerCase()) ?? f.subscriptionId, shortResource(f.resourceId), ownerLabel(f), readableTimes(f.message)]),
        { ...options, shrinkable: [3, 4, 2] },
      ),
    );
  }
  const suppressedCount = result.findings.length - findings.length;
  lines.push("");
  lines.push(`Summary: ${severityLine(result)}${suppressedCount > 0 ? `; ${suppressedCount} suppressed` : ""}`);
  for (const finding of expiredSuppressions(result)) {
    const expired = finding.evidence.expiredSuppression as { expiresOn?: string; reason?: string };
    lines.push(...wrapWords(`Suppression expired ${expired.expiresOn}: ${finding.ruleId} ${shortResource(finding.resourceId)} (${expired.reason})`, options.width, "  "));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Columns padded to their widest cell (at most 70), the last one free. With a width, the last
 * column wraps under itself, and the `shrinkable` columns (in order) are truncated first when
 * the last would get narrower than MIN_MESSAGE_WIDTH; if it still would, each row's last cell
 * goes on the lines below it instead, indented.
 */
export function formatColumns(header: string[], rows: string[][], options: TableOptions & { shrinkable?: number[] } = {}): string {
  const last = header.length - 1;
  const widths = header.map((title, column) => (column === last ? 0 : Math.min(70, Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)))));
  const indentOf = () => widths.slice(0, last).reduce((sum, width) => sum + width + 2, 0);
  const natural = [...widths];
  const shrinkTo = (room: number) => {
    for (const column of options.shrinkable ?? []) {
      const excess = indentOf() - room;
      if (excess <= 0) break;
      widths[column] = Math.max(MIN_TRUNCATED_WIDTH, header[column]!.length, widths[column]! - excess);
    }
  };
  let stacked = false;
  if (options.width !== undefined) {
    shrinkTo(options.width - MIN_MESSAGE_WIDTH);
    if (indentOf() + MIN_MESSAGE_WIDTH > options.width) {
      // Too narrow beside the other columns: the message goes under its row, which keeps more of the rest.
      stacked = true;
      widths.splice(0, widths.length, ...natural);
      shrinkTo(options.width + 2);
    }
  }
  const indent = stacked ? STACKED_INDENT : indentOf();
  const lastWidth = options.width !== undefined ? Math.max(MIN_MESSAGE_WIDTH, options.width - indent) : undefined;
  const format = (row: string[], index: number) => {
    const cells = row.slice(0, last).map((cell, column) => truncate(cell, widths[column]!).padEnd(widths[column]!));
    const lines = wrapWords(row[last] ?? "", lastWidth, "");
    if (stacked) return [cells.join("  ").trimEnd(), ...(index === 0 ? [] : lines.map((line) => `${" ".repeat(indent)}${line}`))];
    const [first = "", ...more] = lines;
    return [`${cells.join("  ")}  ${first}`.trimEnd(), ...more.map((line) => `${" ".repeat(indent)}${line}`)];
  };
  return [header, ...rows].flatMap(format).join("\n");
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Word-wraps to `width` (continuation lines get `indent`); a word longer than a line is cut. */
export function wrapWords(text: string, width: number | undefined, indent: string): string[] {
  if (width === undefined || text.length <= width) return [text];
  const lines: string[] = [];
  let line = "";
  const room = () => (lines.length === 0 ? width : Math.max(1, width - indent.length));
  for (let word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= room()) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    while (word.length > room()) {
      lines.push(word.slice(0, room()));
      word = word.slice(room());
    }
    line = word;
  }
  if (line) lines.push(line);
  return lines.map((part, index) => (index === 0 ? part : `${indent}${part}`));
}
