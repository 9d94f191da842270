/**
 * The one palette of the report, its SVG charts, its stylesheet (as CSS custom properties,
 * src/report/inline-assets.ts) and the alert email (inline styles).
 */
import type { Severity } from "../model/severity.js";

export interface SeverityColors {
  /** Bars, badges (with white text: at least 4.5:1 contrast), markers. */
  solid: string;
  /** Row and band backgrounds. */
  tint: string;
  /** Text on the tint. */
  onTint: string;
}

/** One palette for every severity, in the report, its charts and the alert email. */
export const SEVERITY_COLORS: Record<Severity, SeverityColors> = {
  critical: { solid: "#a11d2e", tint: "#fbe9eb", onTint: "#7a1522" },
  high: { solid: "#c2410c", tint: "#fdeee5", onTint: "#8a2e08" },
  medium: { solid: "#9a6200", tint: "#fdf4dc", onTint: "#6b4400" },
  low: { solid: "#2b62a8", tint: "#e8f0fa", onTint: "#1e4577" },
  info: { solid: "#56636f", tint: "#eef1f4", onTint: "#3b454e" },
};

/** The rest of the palette: calm neutrals, one accent, and a healthy green. */
export const COLORS = {
  ink: "#1c2733",
  muted: "#55616d",
  faint: "#8a95a0",
  line: "#dfe4ea",
  track: "#e8ecf1",
  page: "#f4f6f9",
  surface: "#ffffff",
  accent: "#1f5f99",
  accentDark: "#143f66",
  ok: "#23784a",
  okTint: "#e6f4ec",
} as const;

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  info: "Info",
};
