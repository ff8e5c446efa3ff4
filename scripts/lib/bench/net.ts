// The net bench: requests per second for GET / from httpd, in QEMU (anyk boot --net, -icount
// shift=0: guest time counts instructions, and follows the host's clock while the CPU sleeps) and
// in userspace (anyk run --net), each the median of 5 runs of 200 sequential requests by Node's
// http client, a fresh connection each (httpd closes after each response).
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { UserError } from "../errors.js";
import { ROOT } from "../paths.js";

export interface NetBench {
  board: string;
  requests: number;
  runs: number;
  /** Requests per second, median of the runs. */
  boot_rps: number;
  run_rps: number;
}

const REQUESTS = 200;
const RUNS = 5;

function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
    request.setTimeout(10_000, () => request.destroy(new Error("GET / took over 10 s")));
  });
}

/** Starts httpd with anyk command ("boot" or "run") on a forwarded port, measures, stops it. */
async function requestsPerSecond(command: "boot" | "run", board: string): Promise<number> {
  const port = await freeTcpPort();
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "anyk.js"), command, "httpd", "--board", board, "--net", String(port), "--timeout", "300"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  try {
    const deadline = Date.now() + 180_000;
    while (!output.includes("httpd: listening")) {
      if (child.exitCode !== null || Date.now() > deadline) throw new UserError(`anyk ${command} httpd did not start: ${output.slice(-300)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const rates: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      for (let i = 0; i < REQUESTS; i++) {
        const status = await get(port);
        if (status !== 200) throw new UserError(`GET / answered ${status} in run ${run + 1}`);
      }
      rates.push(REQUESTS / ((performance.now() - started) / 1000));
    }
    rates.sort((a, b) => a - b);
    return Math.round(rates[Math.floor(RUNS / 2)]);
  } finally {
    child.kill();
  }
}

export async function runNetBench(board: string, progress: (line: string) => void): Promise<NetBench> {
  progress(`httpd on ${board} in QEMU: ${RUNS} x ${REQUESTS} requests`);
  const boot = await requestsPerSecond("boot", board);
  progress(`httpd on ${board} in userspace: ${RUNS} x ${REQUESTS} requests`);
  const run = await requestsPerSecond("run", board);
  return { board, requests: REQUESTS, runs: RUNS, boot_rps: boot, run_rps: run };
}
