/**
 * The report's stylesheet and script: real files (src/report/assets/report.css, report.js),
 * read once when this module loads and inlined into every report, each allowed by its SHA-256
 * hash in the report's Content-Security-Policy (`style-src 'sha256-…'`, `script-src 'sha256-…'`).
 * The hashes are computed here from the exact text inlined, so they can't drift from it.
 *
 * `npm run build` copies the asset files beside the compiled module (scripts/copy-assets.mjs:
 * dist/src/report/assets/), where this module finds them relative to itself, as it finds
 * src/report/assets/ when the TypeScript runs directly (tests). The npm package's `files` and
 * the function app's `.funcignore` (`!dist/**`) ship them.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { SEVERITIES } from "../model/severity.js";
import { COLORS, SEVERITY_COLORS } from "./palette.js";

const ASSETS = new URL("./assets/", import.meta.url);

/** The text of an asset file, trimmed; refuses one that would end its own element early. */
export function readAsset(name: "report.css" | "report.js"): string {
  const text = readFileSync(new URL(name, ASSETS), "utf8").trim();
  const closing = name.endsWith(".css") ? "</style" : "</script";
  if (text.toLowerCase().includes(closing)) throw new Error(`src/report/assets/${name} contains "${closing}", which would end its inline element`);
  return text;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The palette as the custom properties report.css uses: --ink, --accent-dark, --sev-high, --sev-high-tint, ... */
export function paletteProperties(): string {
  const properties = [
    ...Object.entries(COLORS).map(([name, value]) => `--${kebab(name)}:${value}`),
    ...SEVERITIES.flatMap((severity) => {
      const { solid, tint, onTint } = SEVERITY_COLORS[severity];
      return [`--sev-${severity}:${solid}`, `--sev-${severity}-tint:${tint}`, `--sev-${severity}-on-tint:${onTint}`];
    }),
  ];
  return `:root{${properties.join(";")}}`;
}

/** The inline `<style>`: the palette's properties, then report.css. */
export const REPORT_STYLE = `${paletteProperties()}\n${readAsset("report.css")}`;
/** The inline `<script>`: report.js. */
export const REPORT_SCRIPT = readAsset("report.js");

/** `sha256-<base64>` of a text, as a CSP source expression takes it (without the quotes). */
export function cspHash(content: string): string {
  return `sha256-${createHash("sha256").update(content, "utf8").digest("base64")}`;
}

/** The report's Content-Security-Policy: nothing but its own inline style and script, and data: images. */
export const REPORT_CSP = [
  "default-src 'none'",
  `style-src '${cspHash(REPORT_STYLE)}'`,
  `script-src '${cspHash(REPORT_SCRIPT)}'`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
