/**
 * Server-side SVG charts for the HTML report (their palette is palette.ts, shared with the
 * stylesheet and the alert email). Charts are plain strings: no script, no external font or
 * image, only presentation attributes (no `style=""`, which the report's
 * Content-Security-Policy forbids). Every label goes through `escapeHtml`; long labels are
 * shortened and keep the full text in a `<title>` (the tooltip, and the accessible name).
 */
import { SEVERITIES, type Severity } from "../model/severity.js";
import { LEGACY_HIGH_WITHIN_DAYS } from "../rules/gateway-integration-legacy.js";
import { attr, escapeHtml, truncate } from "./escape.js";
import { COLORS, SEVERITY_COLORS, SEVERITY_LABELS } from "./palette.js";
import { MS_PER_DAY as DAY } from "../util/time.js";

// Palette (src/report/palette.ts), re-exported for the charts' callers.
export { COLORS, SEVERITY_COLORS, SEVERITY_LABELS, type SeverityColors } from "./palette.js";

// ---------------------------------------------------------------------------------------------
// Primitives

const FONT = `font-family="inherit"`;

function svgOpen(width: number, height: number, label: string, className: string, id?: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" ${attr("class", `chart ${className}`)}${id ? ` ${attr("id", id)}` : ""} ` +
    `viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" ${attr("aria-label", label)}>` +
    `<title>${escapeHtml(label)}</title>`
  );
}

function text(x: number, y: number, content: string, options: { size?: number; fill?: string; anchor?: "start" | "middle" | "end"; weight?: string; cls?: string; mono?: boolean } = {}): string {
  return (
    `<text x="${round(x)}" y="${round(y)}" ${FONT} font-size="${options.size ?? 12}" fill="${options.fill ?? COLORS.ink}"` +
    `${options.anchor && options.anchor !== "start" ? ` text-anchor="${options.anchor}"` : ""}` +
    `${options.weight ? ` font-weight="${options.weight}"` : ""}` +
    `${options.cls || options.mono ? ` ${attr("class", [options.cls, options.mono ? "mono" : ""].filter(Boolean).join(" "))}` : ""}>${escapeHtml(content)}</text>`
  );
}

/** A text label shortened to `max` characters, with the full text as its tooltip. */
function label(x: number, y: number, content: string, max: number, options: Parameters<typeof text>[3] = {}): string {
  const short = truncate(content, max);
  return short === content ? text(x, y, content, options) : `<g><title>${escapeHtml(content)}</title>${text(x, y, short, options)}</g>`;
}

function rect(x: number, y: number, width: number, height: number, fill: string, extra = ""): string {
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(0, width))}" height="${round(height)}" fill="${fill}"${extra ? ` ${extra}` : ""}/>`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

// ---------------------------------------------------------------------------------------------
// Findings by severity: a donut

export function severityDonut(counts: Record<Severity, number>): string {
  const total = SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0);
  const size = 180;
  const r = 66;
  const stroke = 26;
  const c = 2 * Math.PI * r;
  const description = total === 0 ? "No active findings" : `${total} active findings: ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(", ")}`;
  const parts = [svgOpen(size, size, `Findings by severity. ${description}`, "severity-donut")];
  parts.push(`<circle cx="90" cy="90" r="${r}" fill="none" stroke="${COLORS.track}" stroke-width="${stroke}"/>`);
  let offset = 0;
  for (const severity of SEVERITIES) {
    const value = counts[severity];
    if (value === 0 || total === 0) continue;
    const length = (value / total) * c;
    // A hair of gap between segments keeps neighbouring colours apart.
    const visible = Math.max(0.5, length - (total === value ? 0 : 1.5));
    parts.push(
      `<circle class="donut-segment" ${attr("data-severity", severity)} cx="90" cy="90" r="${r}" fill="none" stroke="${SEVERITY_COLORS[severity].solid}" ` +
        `stroke-width="${stroke}" stroke-dasharray="${round(visible)} ${round(c - visible)}" stroke-dashoffset="${round(-offset)}" transform="rotate(-90 90 90)">` +
        `<title>${escapeHtml(`${SEVERITY_LABELS[severity]}: ${value}`)}</title></circle>`,
    );
    offset += length;
  }
  parts.push(text(90, 92, String(total), { size: 34, anchor: "middle", weight: "600" }));
  parts.push(text(90, 114, total === 1 ? "finding" : "findings", { size: 12, anchor: "middle", fill: COLORS.muted }));
  parts.push(`</svg>`);
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// Findings by rule: horizontal bars stacked by severity

export interface RuleBar {
  ruleId: string;
  title: string;
  counts: Record<Severity, number>;
}

export function ruleBars(rows: readonly RuleBar[]): string {
  const width = 900;
  const labelWidth = 300;
  const rowHeight = 26;
  const top = 6;
  const height = top + Math.max(1, rows.length) * rowHeight + 4;
  const max = Math.max(1, ...rows.map((row) => SEVERITIES.reduce((sum, s) => sum + row.counts[s], 0)));
  const barWidth = width - labelWidth - 50;
  const parts = [svgOpen(width, height, `Active findings by rule: ${rows.map((row) => `${row.ruleId} ${SEVERITIES.reduce((sum, s) => sum + row.counts[s], 0)}`).join(", ") || "none"}`, "rule-bars")];
  if (rows.length === 0) parts.push(text(0, top + 16, "No active findings.", { fill: COLORS.muted }));
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    const total = SEVERITIES.reduce((sum, s) => sum + row.counts[s], 0);
    parts.push(`<g class="rule-bar" ${attr("data-rule", row.ruleId)}><title>${escapeHtml(`${row.ruleId}: ${row.title} (${total})`)}</title>`);
    parts.push(text(labelWidth - 12, y + 16, truncate(row.ruleId, 40), { anchor: "end", size: 13, mono: true }));
    parts.push(rect(labelWidth, y + 4, barWidth, 14, COLORS.track, `rx="2"`));
    let x = labelWidth;
    for (const severity of SEVERITIES) {
      const value = row.counts[severity];
      if (value === 0) continue;
      const w = (value / max) * barWidth;
      parts.push(rect(x, y + 4, w, 14, SEVERITY_COLORS[severity].solid, `class="bar-segment"`));
      x += w;
    }
    parts.push(text(x + 6, y + 15, String(total), { size: 12, weight: "600" }));
    parts.push(`</g>`);
  });
  parts.push(`</svg>`);
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// Subnet capacity: planned demand vs safe instances vs usable addresses

export interface CapacityRow {
  id: string;
  name: string;
  detail: string;
  usable: number;
  safe: number;
  demand: number;
  /** Known address space; false when the VNet could not be read. */
  known: boolean;
  /** The subnet's active findings: the worst severity and a short label of what they say. */
  finding?: { severity: Severity; label: string };
  /** Plans without a known planned maximum (their demand counts 0). */
  unknownPlans: number;
}

export type CapacityState = "ok" | "over-safe" | "over-usable" | "unknown";

export function capacityState(row: Pick<CapacityRow, "known" | "usable" | "safe" | "demand">): CapacityState {
  if (!row.known) return "unknown";
  if (row.demand > row.usable) return "over-usable";
  return row.demand > row.safe ? "over-safe" : "ok";
}

const CAPACITY_FILL: Record<CapacityState, string> = {
  ok: COLORS.ok,
  "over-safe": SEVERITY_COLORS.high.solid,
  "over-usable": SEVERITY_COLORS.critical.solid,
  unknown: COLORS.faint,
};

export function capacityChart(rows: readonly CapacityRow[]): string {
  const width = 1000;
  const labelWidth = 270;
  const numbersWidth = 230;
  const trackX = labelWidth + 10;
  const trackWidth = width - trackX - numbersWidth - 10;
  const rowHeight = 50;
  const legendHeight = 30;
  const height = legendHeight + Math.max(1, rows.length) * rowHeight;
  const parts = [svgOpen(width, height, `Integration subnet capacity for ${rows.length} subnet(s): planned demand against safe instances and usable addresses`, "capacity-chart", "capacity-chart")];

  // Legend.
  const legend: [string, string][] = [
    [COLORS.ok, "Planned demand within safe instances"],
    [SEVERITY_COLORS.high.solid, "Above safe instances"],
    [SEVERITY_COLORS.critical.solid, "Above usable addresses"],
  ];
  let lx = 0;
  for (const [fill, name] of legend) {
    parts.push(rect(lx, 6, 12, 12, fill, `rx="2"`), text(lx + 17, 16, name, { size: 12, fill: COLORS.muted }));
    lx += 30 + name.length * 7;
  }
  parts.push(`<line x1="${round(lx)}" y1="4" x2="${round(lx)}" y2="20" stroke="${COLORS.ink}" stroke-width="2" stroke-dasharray="3 2"/>`);
  parts.push(text(lx + 6, 16, "Safe instances (usable ÷ 2)", { size: 12, fill: COLORS.muted }));
  lx += 200;
  parts.push(rect(lx, 6, 22, 12, COLORS.track, `rx="2"`), text(lx + 27, 16, "Usable addresses", { size: 12, fill: COLORS.muted }));

  if (rows.length === 0) parts.push(text(0, legendHeight + 24, "No subnet is used for regional VNet integration.", { fill: COLORS.muted }));

  rows.forEach((row, index) => {
    const y = legendHeight + index * rowHeight;
    const state = capacityState(row);
    const summary = row.known
      ? `${row.name} (${row.detail}): planned demand ${row.demand}, safe instances ${row.safe}, usable addresses ${row.usable}`
      : `${row.name} (${row.detail}): address space unknown, planned demand ${row.demand}`;
    parts.push(`<g class="capacity-row" ${attr("data-subnet-id", row.id)} ${attr("data-state", state)}>`);
    parts.push(`<title>${escapeHtml(summary)}</title>`);
    if (index > 0) parts.push(`<line x1="0" y1="${y}" x2="${width}" y2="${y}" stroke="${COLORS.line}" stroke-width="1"/>`);
    parts.push(label(0, y + 21, row.name, 30, { size: 13, weight: "600" }));
    parts.push(label(0, y + 38, row.detail, 42, { size: 11, fill: COLORS.muted }));

    const barY = y + 17;
    const barHeight = 16;
    if (!row.known) {
      parts.push(rect(trackX, barY, trackWidth, barHeight, "none", `class="capacity-track" stroke="${COLORS.faint}" stroke-dasharray="4 3" rx="2"`));
      parts.push(text(trackX + 8, barY + 12, "Address space not readable: the subnet's VNet was not collected", { size: 11, fill: COLORS.muted }));
    } else {
      const domain = Math.max(row.usable, row.demand, 1);
      const scale = (value: number) => (value / domain) * trackWidth;
      parts.push(rect(trackX, barY, scale(row.usable), barHeight, COLORS.track, `class="capacity-track" rx="2"`));
      const demandWidth = scale(Math.min(row.demand, row.usable));
      parts.push(rect(trackX, barY + 3, Math.max(demandWidth, row.demand > 0 ? 2 : 0), barHeight - 6, CAPACITY_FILL[state], `class="capacity-demand" rx="1"`));
      if (row.demand > row.usable) {
        // The part of the demand the subnet can't hold at all, hatched past its end.
        parts.push(rect(trackX + scale(row.usable), barY + 3, scale(row.demand - row.usable), barHeight - 6, "url(#hatch-critical)", `class="capacity-overflow"`));
      }
      const safeX = trackX + scale(row.safe);
      parts.push(`<line class="capacity-safe" x1="${round(safeX)}" y1="${barY - 5}" x2="${round(safeX)}" y2="${barY + barHeight + 5}" stroke="${COLORS.ink}" stroke-width="2" stroke-dasharray="3 2"/>`);
      parts.push(text(safeX, barY - 7, `safe ${row.safe}`, { size: 10, anchor: safeX - trackX < 30 ? "start" : "middle", fill: COLORS.muted }));
    }

    const nx = width - numbersWidth;
    // The headline takes the capacity colour, or the finding's when capacity alone looks fine.
    const statusFill =
      state === "over-safe" || state === "over-usable" ? CAPACITY_FILL[state] : row.finding ? SEVERITY_COLORS[row.finding.severity].solid : state === "ok" ? COLORS.ok : COLORS.muted;
    const headline = row.known ? `${row.demand} needed / ${row.safe} safe` : `${row.demand} needed / ? safe`;
    parts.push(text(nx, y + 23, headline, { size: 13, weight: "600", fill: statusFill }));
    const sub = [row.known ? `${row.usable} usable` : "size unknown", row.unknownPlans > 0 ? `${row.unknownPlans} plan(s) without capacity` : "", row.finding ? `${row.finding.severity}: ${row.finding.label}` : ""]
      .filter(Boolean)
      .join(" · ");
    parts.push(label(nx, y + 39, sub, 38, { size: 11, fill: row.finding ? SEVERITY_COLORS[row.finding.severity].onTint : COLORS.muted }));
    parts.push(`</g>`);
  });
  parts.push(
    `<defs><pattern id="hatch-critical" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="${SEVERITY_COLORS.critical.tint}"/><rect width="3" height="6" fill="${SEVERITY_COLORS.critical.solid}"/></pattern></defs>`,
  );
  parts.push(`</svg>`);
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// Dates


function utcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Month starts inside the domain, every `step` months (aligned to the year), as axis ticks. */
function monthTicks(start: number, end: number): { at: number; label: string }[] {
  const span = (end - start) / DAY;
  const step = span <= 240 ? 1 : span <= 800 ? 3 : span <= 2000 ? 6 : 12;
  const first = new Date(start);
  const ticks: { at: number; label: string }[] = [];
  for (let index = first.getUTCFullYear() * 12 + first.getUTCMonth(); ; index++) {
    const year = Math.floor(index / 12);
    const month = index % 12;
    const at = Date.UTC(year, month, 1);
    if (at > end) break;
    if (at < start || month % step !== 0) continue;
    ticks.push({ at, label: month === 0 ? `${MONTHS[month]} ${year}` : MONTHS[month]! });
  }
  return ticks;
}

// ---------------------------------------------------------------------------------------------
// Certificate expiry timeline

export interface TimelineItem {
  id: string;
  label: string;
  detail: string;
  /** ISO instant. */
  expiresAt: string;
  /** Colour of the marker: a severity, or healthy. */
  status: Severity | "ok";
  kind: "app-service" | "gateway";
}

export function certificateTimeline(items: readonly TimelineItem[], now: Date, options: { maxItems?: number } = {}): string {
  const width = 1000;
  const labelWidth = 280;
  const plotX = labelWidth + 10;
  const plotRight = width - 20;
  const plotWidth = plotRight - plotX;
  const axisHeight = 40;
  const rowHeight = 28;
  const shown = items.slice(0, options.maxItems ?? items.length);
  const height = axisHeight + Math.max(1, shown.length) * rowHeight + 10;
  const today = now.getTime();
  const times = shown.map((item) => Date.parse(item.expiresAt)).filter((t) => !Number.isNaN(t));
  const earliest = Math.min(today, ...times);
  const latest = Math.max(today, ...times);
  const start = utcDay(Math.max(Math.min(today - 45 * DAY, earliest - 20 * DAY), today - 400 * DAY));
  const end = utcDay(Math.min(Math.max(today + 120 * DAY, latest + 30 * DAY), today + 400 * DAY)) + DAY;
  const x = (t: number) => plotX + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * plotWidth;
  const bottom = axisHeight + shown.length * rowHeight;

  const parts = [svgOpen(width, height, `Certificate expiry timeline: ${shown.length} certificate(s) from ${isoDate(start)} to ${isoDate(end)}, today ${isoDate(today)}`, "certificate-timeline", "certificate-timeline")];
  // Expired zone, then the axis with month ticks.
  parts.push(rect(plotX, axisHeight - 6, x(today) - plotX, bottom - axisHeight + 12, SEVERITY_COLORS.critical.tint, `class="expired-zone"`));
  if (x(today) - plotX > 60) parts.push(text(plotX + 6, axisHeight + 6 + (shown.length === 0 ? 14 : 0), "expired", { size: 10, fill: SEVERITY_COLORS.critical.onTint }));
  parts.push(`<line x1="${plotX}" y1="${axisHeight - 6}" x2="${plotRight}" y2="${axisHeight - 6}" stroke="${COLORS.faint}" stroke-width="1"/>`);
  for (const tick of monthTicks(start, end)) {
    const tx = x(tick.at);
    parts.push(`<line x1="${round(tx)}" y1="${axisHeight - 10}" x2="${round(tx)}" y2="${bottom + 4}" stroke="${COLORS.line}" stroke-width="1"/>`);
    parts.push(text(tx, axisHeight - 14, tick.label, { size: 10, anchor: "middle", fill: COLORS.muted }));
  }

  shown.forEach((item, index) => {
    const y = axisHeight + index * rowHeight + 14;
    const at = Date.parse(item.expiresAt);
    const days = Math.floor((at - today) / DAY);
    const fill = item.status === "ok" ? COLORS.ok : SEVERITY_COLORS[item.status].solid;
    const when = days < 0 ? `expired ${-days} d ago` : days === 0 ? "expires today" : `in ${days} d`;
    const summary = `${item.label} (${item.detail}) expires ${isoDate(at)}: ${when}`;
    parts.push(`<g class="timeline-item" ${attr("data-certificate-id", item.id)} ${attr("data-status", item.status)} ${attr("aria-label", summary)}><title>${escapeHtml(summary)}</title>`);
    parts.push(label(0, y + 4, item.label, 40, { size: 12, weight: "600" }));
    const mx = x(at);
    parts.push(`<line x1="${plotX}" y1="${y}" x2="${round(mx)}" y2="${y}" stroke="${COLORS.line}" stroke-width="2"/>`);
    const clippedRight = at > end;
    const clippedLeft = at < start;
    if (clippedRight) {
      parts.push(`<path class="timeline-marker" d="M${round(mx - 8)} ${y - 6} L${round(mx)} ${y} L${round(mx - 8)} ${y + 6} Z" fill="${fill}"/>`);
    } else if (clippedLeft) {
      parts.push(`<path class="timeline-marker" d="M${round(mx + 8)} ${y - 6} L${round(mx)} ${y} L${round(mx + 8)} ${y + 6} Z" fill="${fill}"/>`);
    } else if (item.kind === "gateway") {
      parts.push(`<rect class="timeline-marker" x="${round(mx - 5)}" y="${y - 5}" width="10" height="10" fill="${fill}" transform="rotate(45 ${round(mx)} ${y})"/>`);
    } else {
      parts.push(`<circle class="timeline-marker" cx="${round(mx)}" cy="${y}" r="6" fill="${fill}" stroke="${COLORS.surface}" stroke-width="1.5"/>`);
    }
    const note = `${isoDate(at)} · ${when}`;
    const rightSide = mx + 12 + note.length * 6 < plotRight;
    parts.push(text(rightSide ? mx + 12 : mx - 14, y + 4, note, { size: 11, anchor: rightSide ? "start" : "end", fill: item.status === "ok" ? COLORS.muted : SEVERITY_COLORS[item.status].onTint }));
    parts.push(`</g>`);
  });
  if (shown.length === 0) parts.push(text(plotX + 8, axisHeight + 20, "No certificates with a known expiry date.", { fill: COLORS.muted }));

  // Today, on top.
  const tx = x(today);
  parts.push(`<line class="today-marker" x1="${round(tx)}" y1="${axisHeight - 10}" x2="${round(tx)}" y2="${bottom + 6}" stroke="${COLORS.accent}" stroke-width="2"/>`);
  parts.push(rect(tx - 32, 2, 64, 16, COLORS.accent, `rx="3"`));
  parts.push(text(tx, 14, "Today", { size: 11, anchor: "middle", fill: "#ffffff", weight: "600" }));
  parts.push(`</svg>`);
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// Retirement countdown

/**
 * A strip from shortly before today to after the retirement date: the medium stretch, the
 * high window (gateway-integration-legacy's), then critical from the date, with today marked.
 */
export function retirementStrip(retirementDate: string, now: Date, highWithinDays = LEGACY_HIGH_WITHIN_DAYS): string {
  const width = 1000;
  const height = 74;
  const retire = Date.parse(`${retirementDate}T00:00:00Z`);
  const highFrom = retire - highWithinDays * DAY;
  const today = utcDay(now.getTime());
  const start = Math.min(today, highFrom) - 60 * DAY;
  const end = Math.max(today, retire) + 75 * DAY;
  const left = 10;
  const right = width - 10;
  const x = (t: number) => left + ((t - start) / (end - start)) * (right - left);
  const days = Math.round((retire - today) / DAY);
  const summary = days > 0 ? `${days} days until gateway-required integration retires on ${retirementDate}` : `Gateway-required integration retired on ${retirementDate}, ${-days} days ago`;
  const parts = [svgOpen(width, height, summary, "retirement-strip", "retirement-strip")];
  parts.push(rect(x(start), 30, x(highFrom) - x(start), 14, SEVERITY_COLORS.medium.tint, `class="band"`));
  parts.push(rect(x(highFrom), 30, x(retire) - x(highFrom), 14, SEVERITY_COLORS.high.tint, `class="band"`));
  parts.push(rect(x(retire), 30, x(end) - x(retire), 14, SEVERITY_COLORS.critical.tint, `class="band"`));
  parts.push(rect(x(highFrom), 30, 2, 14, SEVERITY_COLORS.high.solid));
  parts.push(rect(x(retire), 24, 3, 26, SEVERITY_COLORS.critical.solid));
  const bandLabel = (from: number, to: number, content: string, fill: string) => {
    if (x(to) - x(from) > content.length * 6 + 10) parts.push(text((x(from) + x(to)) / 2, 41, content, { size: 10, anchor: "middle", fill }));
  };
  bandLabel(start, highFrom, "medium", SEVERITY_COLORS.medium.onTint);
  bandLabel(highFrom, retire, `high (last ${highWithinDays} days)`, SEVERITY_COLORS.high.onTint);
  bandLabel(retire, end, "critical", SEVERITY_COLORS.critical.onTint);
  parts.push(text(x(highFrom), 64, isoDate(highFrom), { size: 10, anchor: "middle", fill: COLORS.muted }));
  parts.push(text(x(retire), 64, `Retirement ${retirementDate}`, { size: 11, anchor: "middle", weight: "600", fill: SEVERITY_COLORS.critical.onTint }));
  const tx = x(today);
  parts.push(`<line class="today-marker" x1="${round(tx)}" y1="20" x2="${round(tx)}" y2="50" stroke="${COLORS.accent}" stroke-width="2"/>`);
  parts.push(`<circle cx="${round(tx)}" cy="20" r="4" fill="${COLORS.accent}"/>`);
  parts.push(text(tx, 12, `Today ${isoDate(today)}`, { size: 11, anchor: tx < 80 ? "start" : tx > width - 80 ? "end" : "middle", weight: "600", fill: COLORS.accentDark }));
  parts.push(`</svg>`);
  return parts.join("");
}
