// anyk bench runs and gives well-formed figures; benchmarks are never pass/fail on a time, so
// this checks the shape and the arithmetic, not the speed.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";

it("prints one JSON object: workloads with both counts and their ratio, geomean, worst, MMIO, httpd's rate", async () => {
  const env = { ANYK_BUILD_DIR: tempBuildDir("bench") };
  const r = await anyk(["bench", "--json", "--no-toolchain", "--no-size", "--no-docs"], { env, timeoutMs: 240_000 });
  expect(r.code, r.stderr).toBe(0);
  const result = JSON.parse(r.stdout);
  // The main board's table, and the same for a Cortex-M0 and a Cortex-M4 board.
  expect(result.board).toBe("lm3s6965evb");
  expect(result.others.map((o: { board: string; cpu: string }) => [o.board, o.cpu])).toEqual([["microbit", "cortex-m0"], ["netduinoplus2", "cortex-m4"]]);
  for (const table of [result, ...result.others]) {
    // test/bench/aot/component.json asks for speed; the figures say what they measured.
    expect(table.optimize).toBe("speed");
    expect(table.workloads.map((w: { name: string }) => w.name)).toEqual(["crc32", "sort", "matmul", "parse", "filter", "crc16", "sha256"]);
    for (const w of table.workloads) {
      expect(Number.isInteger(w.native) && w.native > 1000, w.name).toBe(true);
      expect(Number.isInteger(w.aot) && w.aot > 1000, w.name).toBe(true);
      // Rounded to two decimals: within half a hundredth (1.065 may print as 1.07).
      expect(Math.abs(w.ratio - w.aot / w.native)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    const logs = table.workloads.map((w: { aot: number; native: number }) => Math.log(w.aot / w.native));
    expect(table.geomean).toBeCloseTo(Math.exp(logs.reduce((a: number, b: number) => a + b, 0) / logs.length), 2);
    expect(table.worst).toBe(Math.max(...table.workloads.map((w: { ratio: number }) => w.ratio)));
    for (const m of [table.mmio, table.mmio_read]) {
      expect(m.native).toBeGreaterThan(0);
      expect(m.hypercall).toBeGreaterThan(0);
      expect(m.ratio).toBeCloseTo(m.hypercall / m.native, 1);
    }
    // sort moved the same elements on both sides (the bench fails otherwise): a count it reports.
    expect(Number.isInteger(table.sort_moves) && table.sort_moves > 1000).toBe(true);
  }
  // The interpreter's figures are the main board's only.
  expect(result.workloads.every((w: { interp?: number }) => (w.interp ?? 0) > 0)).toBe(true);
  expect(result.others.every((o: { workloads: Array<{ interp?: number }> }) => o.workloads.every((w) => w.interp === undefined))).toBe(true);
  // httpd's GET / rate, in QEMU and in userspace: every one of 5 x 200 requests answered 200.
  expect(result.net).toMatchObject({ board: "lm3s6965evb", requests: 200, runs: 5 });
  expect(result.net.boot_rps).toBeGreaterThan(0);
  expect(result.net.run_rps).toBeGreaterThan(0);
  // The same figures land in the build folder for other tools.
  expect(JSON.parse(fs.readFileSync(path.join(env.ANYK_BUILD_DIR, "bench", "bench.json"), "utf8"))).toEqual(result);
}, 240_000);
