// MMIO grants on both platforms: an image may touch exactly the register windows of the devices
// bound to it. Probed at every edge of every granted window: base-4 and end are refused with a
// report naming the address, base and end-4 are read.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { anyk, ROOT, tempBuildDir } from "./helpers/cli.js";
import { boardData } from "./helpers/boards.js";

let env: Record<string, string>;
beforeAll(() => {
  env = { ANYK_BUILD_DIR: tempBuildDir("grants") };
});

const WITH: Record<string, string> = {
  lm3s6965evb: "device:uart,device:gpio",
  "mps2-an385": "device:uart,device:gpio",
  microbit: "device:uart,device:gpio",
  netduinoplus2: "device:uart",
};

interface Window {
  name: string;
  base: number;
  end: number;
}

/** The windows of the bound devices, their addresses read from the board file itself. */
async function grantedWindows(board: string): Promise<Window[]> {
  const built = await anyk(["build", "test/apps/grants", "--board", board, "--with", WITH[board], "--json"], { env });
  expect(built.code, built.stderr).toBe(0);
  const bound = (JSON.parse(built.stdout).bindings as Array<{ device: string }>).map((b) => b.device);
  const file = boardData(board);
  return bound.map((name) => {
    const d = file.devices.find((x: { name: string }) => x.name === name);
    return { name, base: Number(d.reg.base), end: Number(d.reg.base) + Number(d.reg.size) };
  });
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, "0");
// One address at a time, the next only after the answer to the last: the first word of a UART's
// window is its data register, and reading it takes a received byte, so no input may be waiting.
const run = (platform: string, board: string, addresses: number[], quit: boolean) =>
  anyk([platform, "test/apps/grants", "--board", board, "--with", WITH[board], "--timeout", "30"], {
    env,
    timeoutMs: 90_000,
    dialog: [
      ...addresses.map((a, i) => ({ after: i === 0 ? "grants: ready" : `ok 0x${hex(addresses[i - 1]).toLowerCase()}`, send: `r ${hex(a)}\n` })),
      ...(quit ? [{ after: `ok 0x${hex(addresses[addresses.length - 1]).toLowerCase()}`, send: "q\n" }] : []),
    ],
  });

describe.each(Object.keys(WITH))("grants on %s", (board) => {
  for (const platform of ["boot", "run"]) {
    it(`${platform}: reads the first and last word of every granted window`, async () => {
      const windows = await grantedWindows(board);
      expect(windows.length).toBe(WITH[board].split(",").length);
      const inside = windows.flatMap((w) => [w.base, w.end - 4]);
      const r = await run(platform, board, inside, true);
      expect(r.stderr).not.toMatch(/panic/);
      for (const a of inside) expect(r.stdout.toLowerCase()).toContain(`ok 0x${hex(a).toLowerCase()}`);
      expect(r.code).toBe(0);
    }, 180_000);

    it(`${platform}: refuses the word before and after every granted window, naming it`, async () => {
      const windows = await grantedWindows(board);
      for (const w of windows) {
        for (const a of [w.base - 4, w.end]) {
          if (windows.some((o) => a >= o.base && a < o.end)) continue; // adjacent granted window
          const r = await run(platform, board, [a], false);
          expect(r.stdout + r.stderr).toMatch(new RegExp(`panic: mmio: mmio_read32 at 0x${hex(a)} refused`));
          expect(r.code).toBe(101);
        }
      }
    }, 300_000);

    it(`${platform}: refuses a word read two bytes off alignment inside a granted window, naming it`, async () => {
      const [w] = await grantedWindows(board);
      const a = w.base + 2;
      const r = await run(platform, board, [a], false);
      expect(r.stdout + r.stderr).toMatch(new RegExp(`panic: mmio: mmio_read32( \\(unaligned\\))? at 0x${hex(a)} refused`));
      expect(r.code).toBe(101);
    }, 120_000);
  }
});
