/**
 * Generated sections of a Markdown file sit between `<!-- BEGIN GENERATED: name -->` and
 * `<!-- END GENERATED: name -->` markers; everything else in the file is hand-written.
 */
export function updateGenerated(text: string, sections: Record<string, string>, file: string): string {
  let updated = text;
  for (const [name, content] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- BEGIN GENERATED: ${name} -->\\n)[\\s\\S]*?(<!-- END GENERATED: ${name} -->)`);
    if (!pattern.test(updated)) throw new Error(`${file} has no generated section "${name}"`);
    updated = updated.replace(pattern, (_match, begin: string, end: string) => `${begin}${content}\n${end}`);
  }
  return updated;
}

/** A Markdown table cell: pipes escaped, on one line. */
export const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
