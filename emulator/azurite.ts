import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RunningAzurite {
  /** A full connection string with explicit blob/queue/table endpoints on loopback. */
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  close(): Promise<void>;
}

const HOST = "127.0.0.1";

/**
 * Starts an in-memory Azurite on free loopback ports. Storage tests run against it, never
 * against a mock: the real SDK pipeline, ETags, batches and paging all run.
 */
export async function startAzurite(options: { attempts?: number; startupTimeoutMs?: number } = {}): Promise<RunningAzurite> {
  const attempts = options.attempts ?? 3;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await startOnce(options.startupTimeoutMs ?? 30_000);
    } catch (error) {
      // Another process may have taken one of the "free" ports between probe and bind: try again.
      lastError = error;
    }
  }
  throw new Error(`Azurite did not start after ${attempts} attempts: ${String(lastError)}`);
}

async function startOnce(timeoutMs: number): Promise<RunningAzurite> {
  const [blob, queue, table] = await freePorts(3);
  const workspace = mkdtempSync(join(tmpdir(), "vnet-audit-azurite-"));
  const script = createRequire(import.meta.url).resolve("azurite/dist/src/azurite.js");
  const args = [
    script,
    "--inMemoryPersistence",
    "--skipApiVersionCheck",
    "--disableTelemetry",
    "--silent",
    "--blobHost", HOST, "--blobPort", String(blob),
    "--queueHost", HOST, "--queuePort", String(queue),
    "--tableHost", HOST, "--tablePort", String(table),
  ];
  // In-memory Azurite refuses --location; run it in a scratch cwd so nothing lands in the checkout.
  const child = spawn(process.execPath, args, { cwd: workspace, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));

  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const cleanup = async (): Promise<void> => {
    process.removeListener("exit", killOnExit);
    await stop(child);
    rmSync(workspace, { recursive: true, force: true });
  };

  try {
    await waitForPorts(child, [blob!, queue!, table!], timeoutMs, () => output);
  } catch (error) {
    await cleanup();
    throw error;
  }

  const base = `http://${HOST}`;
  const connectionString = [
    "DefaultEndpointsProtocol=http",
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_KEY}`,
    `BlobEndpoint=${base}:${blob}/${AZURITE_ACCOUNT}`,
    `QueueEndpoint=${base}:${queue}/${AZURITE_ACCOUNT}`,
    `TableEndpoint=${base}:${table}/${AZURITE_ACCOUNT}`,
  ].join(";") + ";";
  return { connectionString, ports: { blob: blob!, queue: queue!, table: table! }, close: cleanup };
}

/** Binds port 0 to learn free ports; all are held open together so they are distinct. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, HOST, () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("no port");
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

async function waitForPorts(child: ChildProcess, ports: number[], timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once("exit", (code) => (exited = code ?? -1));
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (exited !== null) throw new Error(`Azurite exited with ${exited}: ${output().trim()}`);
      if (Date.now() > deadline) throw new Error(`Azurite did not listen on ${HOST}:${port} within ${timeoutMs} ms: ${output().trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // A port can accept before Azurite has finished starting when another process owns it; the
  // exit check above catches that on the next attempt, so re-check once after a short pause.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (exited !== null) throw new Error(`Azurite exited with ${exited}: ${output().trim()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

let prefixCounter = 0;
/** A fresh table/queue/container name prefix, so tests sharing one Azurite never see each other's rows. */
export function uniquePrefix(): string {
  prefixCounter++;
  return `t${prefixCounter}${Math.random().toString(36).slice(2, 8)}`.replace(/[^a-z0-9]/g, "");
}
