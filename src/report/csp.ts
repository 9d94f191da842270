/**
 * The Content-Security-Policy a stored HTML report carries in its `<meta http-equiv>` tag,
 * read back so `GET /api/scans/{id}/report` can send the same policy as a header. Read from
 * the stored file rather than recomputed: a report written by an earlier version hashes its
 * own style and script.
 */
const CSP_META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/i;

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

export function reportContentSecurityPolicy(html: string): string | undefined {
  const match = CSP_META.exec(html.slice(0, 4096));
  return match ? match[1]!.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!) : undefined;
}
