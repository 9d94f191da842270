import type { ReportInsights } from "../engine/insights.js";
import type { ScanResult } from "../engine/result.js";
import { renderCsv } from "./csv.js";
import { renderHtmlReport, type HtmlReportOptions } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { renderTable, type TableOptions } from "./table.js";
import { terminalSafeDeep, terminalSafeJson } from "./terminal.js";

export const REPORT_FORMATS = ["json", "table", "csv", "markdown", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Renders a scan result. Only `html` uses the insights (capacity, retirement, certificates) and
 * its own options (the clock, the rule settings its colours follow), only `table` the terminal
 * width. Text formats see Azure's strings with terminal control characters made visible; JSON
 * keeps every value exactly, with those characters as `\uXXXX` escapes.
 */
export function renderReport(result: ScanResult, format: ReportFormat, insights?: ReportInsights, table: TableOptions = {}, html: HtmlReportOptions = {}): string {
  switch (format) {
    case "json":
      return `${terminalSafeJson(JSON.stringify(result, null, 2))}\n`;
    case "table":
      return renderTable(terminalSafeDeep(result), table);
    case "csv":
      return renderCsv(terminalSafeDeep(result));
    case "markdown":
      return renderMarkdown(terminalSafeDeep(result));
    case "html":
      return renderHtmlReport(result, insights, html);
  }
}
