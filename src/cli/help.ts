import { wrapWords } from "../report/table.js";
import { COMMANDS, type CommandSpec, type FlagSpec } from "./commands.js";

/** Help reads in an 80-to-120-column terminal: lines wrap at 100. */
const HELP_WIDTH = 100;

/** `vnet-audit`, `vnet-audit help`, `vnet-audit --help`: every command, one line each, and where to go next. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length), "help".length);
  return [
    "vnet-audit: audit App Service VNet integration across an Azure tenant (Reader is enough).",
    "",
    "Usage:",
    ...COMMANDS.flatMap(synopsis),
    "  vnet-audit help [COMMAND]      (also COMMAND --help, -h)",
    "  vnet-audit --version",
    "",
    "Commands:",
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    `  ${"help".padEnd(width)}  Show a command's flags, defaults and examples.`,
    "",
    "Examples:",
    ...COMMANDS.flatMap((command) => command.examples.slice(0, 2)).flatMap(([line, what]) => [`  # ${what}`, `  ${line}`]),
    "",
    "Credentials come from DefaultAzureCredential: run `az login` on a laptop; in Azure, a managed identity.",
    "Run `vnet-audit help scan` for every flag of a command.",
    "",
  ].join("\n");
}

export function commandHelp(command: CommandSpec): string {
  const labels = command.flags.map(flagLabel);
  const width = Math.max(...labels.map((label) => label.length));
  const flagLines = command.flags.flatMap((flag, index) => {
    const details = [flag.description];
    if (flag.choices) details.push(`One of: ${flag.choices.join(", ")} (any case).`);
    if (flag.default) details.push(`Default: ${flag.default}.`);
    return hang(`  ${labels[index]!.padEnd(width)}  `, details.join(" "));
  });
  return [
    `vnet-audit ${command.name}: ${command.summary}`,
    "",
    "Usage:",
    ...synopsis(command),
    "",
    "Flags:",
    ...flagLines,
    "",
    "Examples:",
    ...command.examples.flatMap(([line, what]) => [`  # ${what}`, `  ${line}`]),
    ...(command.notes ? ["", ...command.notes.flatMap((note) => hang("", note, "  "))] : []),
    "",
  ].join("\n");
}

function flagLabel(flag: FlagSpec): string {
  const names = flag.short ? `-${flag.short}, --${flag.name}` : `    --${flag.name}`;
  return `${names}${flag.value ? ` ${flag.value}` : ""}${flag.multiple ? "..." : ""}`;
}

function synopsis(command: CommandSpec): string[] {
  const prefix = `  vnet-audit ${command.name} `;
  return hang(prefix, command.synopsis.slice(prefix.length - 2));
}

/** `prefix` then `text` wrapped to HELP_WIDTH, continuation lines aligned under the text (or `indent`). */
function hang(prefix: string, text: string, indent = " ".repeat(prefix.length)): string[] {
  const [first = "", ...rest] = wrapWords(text, HELP_WIDTH - prefix.length, "");
  return [`${prefix}${first}`, ...rest.map((line) => `${indent}${line}`)];
}
