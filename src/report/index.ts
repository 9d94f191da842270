import type { ReportInsights } from "../engine/insights.js";
import type { ScanResult } from "../engine/result.js";
import { renderCsv } from "./csv.js";
import { renderHtmlReport } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { renderTable, type TableOptions } from "./table.js";

export const REPORT_FORMATS = ["json", "table", "csv", "markdown", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Renders a scan result. Only `html` uses the insights (capacity, retirement, certificates), only `table` the terminal width. */
export function renderReport(result: ScanResult, format: ReportFormat, insights?: ReportInsights, table: TableOptions = {}): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "table":
      return renderTable(result, table);
    case "csv":
      return renderCsv(result);
    case "markdown":
      return renderMarkdown(result);
    case "html":
      return renderHtmlReport(result, insights);
  }
}
