/**
 * Time, one home for it. Day counts follow two conventions (RULES.md "Terms"):
 *
 * - For an instant (a certificate's NotAfter): whole days left,
 *   `floor((instant − now) / 86 400 000)`. "Within N days" means `days <= N`, so a
 *   certificate with 14 days and 23 hours left is "within 14 days". A negative count means
 *   the instant has passed (expired).
 * - For a calendar date (the 2027-03-31 retirement): UTC calendar days; a whole calendar day
 *   is either before, on or after the date, whatever the hour.
 *
 * Rules read the clock only through `RuleContext.now`; these take it as an argument.
 */

export const MS_PER_DAY = 86_400_000;

/** Whole days from `now` to an ISO instant: floor((instant − now) / 1 day). Negative once passed. */
export function wholeDaysUntil(isoInstant: string, now: Date): number | undefined {
  const instant = Date.parse(isoInstant);
  return Number.isNaN(instant) ? undefined : Math.floor((instant - now.getTime()) / MS_PER_DAY);
}

/** UTC calendar days from `now`'s date to a `YYYY-MM-DD` date: 0 on the date, negative after. */
export function calendarDaysUntil(isoDate: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - today) / MS_PER_DAY);
}

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
