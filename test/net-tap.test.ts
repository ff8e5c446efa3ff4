// A TAP device: the host's own TCP/IP stack reaches the board directly, with no user network in
// between (anyk boot/run --net-tap). Making one takes root or CAP_NET_ADMIN and /dev/net/tun: where
// this process can open /dev/net/tun the test makes a TAP device with the board's gateway address
// and talks HTTP to the board through it, in QEMU and in userspace; where it cannot, anyk must say
// so in one line instead of starting a board nobody can reach.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";
import { RunningBoard, httpGet } from "./helpers/net-clients.js";

const NAME = `anyk${process.pid % 100000}`;
const env = { ANYK_BUILD_DIR: tempBuildDir("net-tap") };

function tunUsable(): boolean {
  try {
    fs.closeSync(fs.openSync("/dev/net/tun", "r+"));
    return true;
  } catch {
    return false;
  }
}

describe("--net-tap", () => {
  const usable = tunUsable();
  let made = false;

  beforeAll(() => {
    if (!usable) return;
    execFileSync("ip", ["tuntap", "add", "dev", NAME, "mode", "tap"]);
    made = true;
    execFileSync("ip", ["addr", "add", "10.0.2.2/24", "dev", NAME]);
    execFileSync("ip", ["link", "set", NAME, "up"]);
  });

  afterAll(() => {
    if (made) execFileSync("ip", ["link", "del", NAME]);
  });

  it.each([
    ["boot", "lm3s6965evb"],
    ["run", "mps2-an385"],
  ])("anyk %s on %s: the host's own stack GETs / and 20 requests at once from the board and pings it, or anyk says why it cannot", async (command, board) => {
    if (!usable) {
      const r = await anyk([command, "httpd", "--board", board, "--net-tap", NAME, "--timeout", "20"], { env, timeoutMs: 180_000 });
      expect(r.code).not.toBe(0);
      expect(r.stdout).not.toContain("httpd: listening");
      expect(r.stderr).toMatch(/\/dev\/net\/tun/);
      return;
    }
    const httpd = new RunningBoard([command, "httpd", "--board", board, "--net-tap", NAME, "--timeout", "120"], env);
    try {
      await httpd.ready("httpd: listening on 10.0.2.15:80");
      const page = await httpGetAt("/");
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain(`<h1>anykernel on ${board}</h1>`);
      const replies = await Promise.all(Array.from({ length: 20 }, () => httpGetAt("/")));
      expect(replies.every((r) => r.status === 200)).toBe(true);
      // The host's own ping (its kernel's ICMP) gets its answers.
      const ping = await run("ping", ["-c", "3", "-i", "0.2", "-W", "2", "10.0.2.15"]);
      expect(ping.code, ping.output).toBe(0);
      expect(ping.output).toMatch(/3 packets transmitted, 3 received/);
    } finally {
      httpd.stop();
    }
  }, 180_000);
});

/** A host command's exit code and output, without blocking the event loop the board's output needs. */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
    // A command that is not installed fails the assertion at once instead of waiting for the timeout.
    child.on("error", (error) => resolve({ code: null, output: `${command}: ${error.message}` }));
  });
}

/** GET from the board's own address, port 80, through the TAP device. */
function httpGetAt(path: string) {
  return httpGet(80, path, 30_000, "10.0.2.15");
}
