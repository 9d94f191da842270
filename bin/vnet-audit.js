#!/usr/bin/env node
// The CLI entry: runs the compiled code that `npm ci` builds (the package's `prepare` script).
import { runCli } from "../dist/src/cli/main.js";

process.exitCode = await runCli(process.argv.slice(2));
