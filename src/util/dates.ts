/**
 * A timestamp as people read it in a message or a table: the calendar day (UTC), plus the time
 * when it is not midnight, never milliseconds. JSON and evidence keep the full ISO value.
 */
export function readableTime(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(value.trim());
  if (!match) return value;
  const [, day, time, zone] = match;
  return time === "00:00" ? day! : `${day} ${time}${zone === "Z" || zone === undefined ? " UTC" : ` ${zone}`}`;
}

/** Every ISO timestamp in a text made readable (for text that already embeds one). */
export function readableTimes(text: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?/g, (timestamp) => readableTime(timestamp));
}
