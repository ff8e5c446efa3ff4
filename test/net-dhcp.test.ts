// The DHCP client: a project whose anykernel.json says "net": { "dhcp": true } gets its address
// from QEMU's user network's DHCP server, in QEMU and in userspace, and only such an image carries
// the client; a bad net field is a one-line error naming it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, ROOT } from "./helpers/cli.js";

describe("net-dhcp in a project of one's own", () => {
  let project: string;

  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-dhcp-"));
    fs.mkdirSync(path.join(project, "src"));
    fs.copyFileSync(path.join(ROOT, "test", "apps", "dhcp", "main.ts"), path.join(project, "src", "main.ts"));
    fs.writeFileSync(path.join(project, "anykernel.json"), JSON.stringify({ name: "asker", app: "src", board: "lm3s6965evb", net: { dhcp: true } }));
  });

  it.each([
    ["boot", "lm3s6965evb"],
    ["run", "mps2-an385"],
  ])("anyk %s on %s: the server's address arrives and the app ends", async (command, board) => {
    const r = await anyk([command, "--board", board, "--net", "none", "--timeout", "60"], { cwd: project, timeoutMs: 180_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("dhcp: asking\ndhcp: address 10.0.2.15\n");
    expect(r.code).toBe(0);
  }, 180_000);

  it("only a DHCP image carries the client", async () => {
    const withDhcp = await anyk(["size", "--board", "lm3s6965evb", "--json"], { cwd: project, timeoutMs: 180_000 });
    const without = await anyk(["size", "test/apps/dhcp", "--board", "lm3s6965evb", "--json"], { timeoutMs: 180_000 });
    const rows = (out: string) => (JSON.parse(out) as { components: Array<{ name: string; rom: number }> }).components;
    expect(rows(withDhcp.stdout).find((r) => r.name === "net-dhcp")?.rom).toBeGreaterThan(300);
    expect(rows(without.stdout).find((r) => r.name === "net-dhcp")).toBeUndefined();
  }, 360_000);

  it("says which net field is wrong", async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-badnet-"));
    fs.mkdirSync(path.join(bad, "src"));
    fs.copyFileSync(path.join(ROOT, "kernel", "apps", "ping", "main.ts"), path.join(bad, "src", "main.ts"));
    fs.writeFileSync(path.join(bad, "anykernel.json"), JSON.stringify({ name: "bad", board: "lm3s6965evb", net: { address: "10.0.2.300", mask: "255.255.255.0", gateway: "10.0.2.2" } }));
    const r = await anyk(["build"], { cwd: bad });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("field 'net.address' must be an IPv4 address like \"10.0.2.15\", got \"10.0.2.300\"");
  }, 60_000);
});
