/**
 * Reading Bicep as text (the Bicep compiler is not available here): comments and strings
 * stripped, resource and module declarations with their bodies, properties and variables; and
 * the real files (infra/, azure.yaml, docs/deploy.md) as one file set.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export type Files = Record<string, string>; // path relative to the repo root -> content

/**
 * Replaces // and /* *\/ comments with spaces (newlines kept), leaving strings intact (or, with
 * `strings`, blanking string contents too but keeping ${...} interpolations, which are code). Understands
 * single-quoted strings with \ escapes and ${...} interpolation (which may nest strings), and
 * '''multi-line''' strings.
 */
export function stripBicepComments(text: string, options: { strings?: boolean } = {}): string {
  const out = text.split("");
  type Mode = { kind: "code"; depth: number } | { kind: "string" };
  const stack: Mode[] = [{ kind: "code", depth: 0 }];
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  while (i < text.length) {
    const mode = stack[stack.length - 1]!;
    const c = text[i]!;
    if (mode.kind === "code") {
      if (text.startsWith("'''", i)) {
        const end = text.indexOf("'''", i + 3);
        const stop = end < 0 ? text.length : end + 3;
        if (options.strings) blank(i + 3, stop - 3);
        i = stop;
      } else if (c === "'") {
        stack.push({ kind: "string" });
        i++;
      } else if (text.startsWith("//", i)) {
        const end = text.indexOf("\n", i);
        const stop = end < 0 ? text.length : end;
        blank(i, stop);
        i = stop;
      } else if (text.startsWith("/*", i)) {
        const end = text.indexOf("*/", i + 2);
        const stop = end < 0 ? text.length : end + 2;
        blank(i, stop);
        i = stop;
      } else if (c === "{") {
        mode.depth++;
        i++;
      } else if (c === "}") {
        if (mode.depth === 0 && stack.length > 1) stack.pop(); // end of ${...}
        else mode.depth--;
        i++;
      } else i++;
    } else {
      if (c === "\\") {
        if (options.strings) blank(i, i + 2);
        i += 2;
      } else if (c === "'") {
        stack.pop();
        i++;
      } else if (text.startsWith("${", i)) {
        stack.push({ kind: "code", depth: 0 });
        i += 2;
      } else {
        if (options.strings) blank(i, i + 1);
        i++;
      }
    }
  }
  return out.join("");
}

/** Index just past the brace/bracket that closes the one at `open`, skipping strings. */
export function matchClose(text: string, open: number): number {
  const pairs: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
  const closers = new Set(Object.values(pairs));
  const stack: string[] = [];
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === "'") inString = false;
      continue;
    }
    if (c === "'") inString = true;
    else if (pairs[c]) stack.push(pairs[c]!);
    else if (closers.has(c)) {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

export interface Declaration {
  file: string;
  symbol: string;
  /** resource type without version, or module path */
  target: string;
  apiVersion: string;
  existing: boolean;
  /** text between `=` and the body's opening brace: `if (...)`, `[for x in y: if (...)`, or '' */
  condition: string;
  body: string;
}

export function declarations(file: string, text: string, keyword: "resource" | "module"): Declaration[] {
  const found: Declaration[] = [];
  const pattern =
    keyword === "resource"
      ? /^[ \t]*resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*(existing\s*)?=/gm
      : /^[ \t]*module\s+(\w+)\s+'([^']+)'\s*=/gm;
  for (const match of text.matchAll(pattern)) {
    const after = match.index! + match[0].length;
    const open = text.indexOf("{", after);
    const close = open < 0 ? -1 : matchClose(text, open);
    found.push({
      file,
      symbol: match[1]!,
      target: match[2]!,
      apiVersion: keyword === "resource" ? match[3]! : "",
      existing: keyword === "resource" && Boolean(match[4]),
      condition: open < 0 ? "" : text.slice(after, open).trim(),
      body: close < 0 ? "" : text.slice(open, close),
    });
  }
  return found;
}

/** Value text of `key:` on one line inside `body` (first occurrence), or undefined. */
export function propertyLine(body: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*(.+?)\\s*$`, "m").exec(body);
  return match?.[1];
}

/** The `{...}` object that follows `key:` inside body, or undefined. */
export function propertyBlock(body: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*\\{`, "m").exec(body);
  if (!match) return undefined;
  const open = match.index + match[0].length - 1;
  const close = matchClose(body, open);
  return close < 0 ? undefined : body.slice(open, close);
}

/** Text of `var name = ...` up to the next top-level declaration. */
export function varText(text: string, name: string): string | undefined {
  const match = new RegExp(`^var\\s+${name}\\s*=`, "m").exec(text);
  if (!match) return undefined;
  const rest = text.slice(match.index + match[0].length);
  const next = /^(?:@|var |param |resource |module |output |import |type |func |targetScope)/m.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

/** Object keys written as `key:` at the start of a line or after `{` / `,`. */
export function objectKeys(text: string): string[] {
  return [...text.matchAll(/(?:^|[{,])\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/gm)].map((m) => m[1]!);
}

export function bicepFiles(files: Files): [string, string][] {
  return Object.entries(files)
    .filter(([path]) => path.endsWith(".bicep"))
    .map(([path, text]) => [path, stripBicepComments(text)]);
}

export function allDeclarations(files: Files, keyword: "resource" | "module"): Declaration[] {
  return bicepFiles(files).flatMap(([path, text]) => declarations(path, text, keyword));
}

export function fileNamed(files: Files, suffix: string): [string, string] | undefined {
  const entry = Object.entries(files).find(([path]) => path.endsWith(suffix));
  return entry && (entry[0].endsWith(".bicep") ? [entry[0], stripBicepComments(entry[1])] : entry);
}

export function loadFiles(): Files {
  const files: Files = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(ROOT, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(join(ROOT, "infra"));
  for (const file of ["azure.yaml", "docs/deploy.md"]) {
    const path = join(ROOT, file);
    if (existsSync(path)) files[file] = readFileSync(path, "utf8");
  }
  return files;
}
