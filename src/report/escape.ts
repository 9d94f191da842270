/**
 * Escaping for every HTML the product writes (the HTML report, the alert email).
 *
 * Everything that reaches HTML from Azure (resource names, certificate subjects and friendly
 * names, error messages) or from the rules goes through `escapeHtml`, in text and in quoted
 * attribute values alike. URLs become links only when they are http(s); JSON embedded in a
 * `<script type="application/json">` goes through `jsonForScript`.
 */

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for an HTML text node or a quoted (single or double) attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** `name="value"` with the value escaped; the only way the renderers write attributes with data. */
export function attr(name: string, value: string | number): string {
  return `${name}="${escapeHtml(String(value))}"`;
}

/**
 * The URL as written when it is an absolute http: or https: URL; undefined otherwise
 * (`javascript:`, `data:`, relative, malformed). Only these ever become an `href` (escaped
 * with `escapeHtml` like any attribute). Both the literal text and the WHATWG parse must name
 * the scheme, so tabs, newlines or control characters can't smuggle another one in.
 */
export function safeHttpUrl(value: string, schemes: readonly ("http:" | "https:")[] = ["http:", "https:"]): string | undefined {
  const literal = /^(https?:)\/\/[^\s\u0000-\u001f\u007f]+$/i.exec(value);
  if (!literal || !(schemes as readonly string[]).includes(literal[1]!.toLowerCase())) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return (schemes as readonly string[]).includes(url.protocol) ? value : undefined;
}

/**
 * JSON for a `<script type="application/json">` data block. `<`, `>` and `&` become `\u003c`,
 * `\u003e` and `\u0026` so that neither `</script>` nor `<!--` can end or change the element,
 * and U+2028/U+2029 are escaped for parsers that treat them as line ends. `JSON.parse` of the
 * element's text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Shortens text for a chart label; the full text goes in the element's `<title>`. */
export function truncate(value: string, maxLength: number): string {
  const chars = Array.from(value);
  return chars.length <= maxLength ? value : `${chars.slice(0, Math.max(1, maxLength - 1)).join("")}\u2026`;
}
