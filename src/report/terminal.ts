/**
 * Text from Azure (resource and subscription names, tags, ARM error messages) is not ours: a
 * name carrying ESC sequences, an OSC-8 hyperlink or a right-to-left override would otherwise
 * reach a terminal or CI log raw and recolour, hide or reorder what the reader sees. Every
 * text format goes through here; the HTML report escapes markup itself and JSON escapes C0.
 */

/**
 * C0 controls except tab, newline and carriage return (which the formats quote or lay out),
 * DEL, C1 controls (0x9b is a one-byte CSI on some terminals), and the bidirectional
 * formatting characters (embeddings, overrides, isolates, marks) of Unicode's "Trojan
 * Source" advisory (CVE-2021-42574).
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same set minus what JSON.stringify already escapes (C0). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const hex = (char: string, width: number) => char.charCodeAt(0).toString(16).padStart(width, "0");

/** The text with every unsafe character shown as a visible escape (`\x1b`, `\u202e`). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (char) => (char.charCodeAt(0) < 0x100 ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`));
}

/** A copy of a value with every string made terminal-safe (keys included). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === "string") return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((item) => terminalSafeDeep(item)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [terminalSafe(key), terminalSafeDeep(item)])) as T;
  }
  return value;
}

/** JSON text made terminal-safe without changing its value: the characters become `\uXXXX` escapes. */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${hex(char, 4)}`);
}
