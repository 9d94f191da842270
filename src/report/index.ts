import type { ScanResult } from "../engine/result.js";
import { renderCsv } from "./csv.js";
import { renderMarkdown } from "./markdown.js";
import { renderTable } from "./table.js";

export const REPORT_FORMATS = ["json", "table", "csv", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(result: ScanResult, format: ReportFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "table":
      return renderTable(result);
    case "csv":
      return renderCsv(result);
    case "markdown":
      return renderMarkdown(result);
  }
}
