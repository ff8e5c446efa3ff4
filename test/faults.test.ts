// The faults of abi/hypercall.json are worded the same on both platforms: the same trap app, the
// same command, one panic line from QEMU's board and one from Node, each checked against the text
// this test builds from the JSON itself.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anyk, ROOT, tempBuildDir } from "./helpers/cli.js";

interface Fault {
  name: string;
  kind: string;
  text: string;
}
const faults: Fault[] = JSON.parse(fs.readFileSync(path.join(ROOT, "abi", "hypercall.json"), "utf8")).faults;

/** The JSON's template with values filled in, as the ABI's comment says: hex is 0x and 8 upper-case digits. */
function worded(name: string, values: Record<string, string | number>): string {
  const fault = faults.find((f) => f.name === name);
  if (!fault) throw new Error(`abi/hypercall.json has no fault ${name}`);
  const detail = fault.text.replace(/\{(\w+):(hex|dec|str)\}/g, (_, key: string, format: string) => {
    const v = values[key];
    if (format === "hex") return "0x" + (Number(v) >>> 0).toString(16).toUpperCase().padStart(8, "0");
    return String(v);
  });
  return `panic: ${fault.kind}: ${detail}`;
}

// The trap app's commands (test/apps/trap/main.ts) and the fault each must end in.
const cases: Array<[string, string]> = [
  ["m", worded("MMIO_REFUSED", { access: "mmio_write32", address: 0xe00ff000 })],
  ["r", worded("MMIO_REFUSED", { access: "mmio_read32", address: 0xe00ff000 })],
  ["i", worded("IRQ_REFUSED", { line: 200 })],
  ["w", worded("WAIT_FOREVER", {})],
  ["c", worded("RANGE_OUTSIDE", { offset: 0xfffffff0 })],
];

describe("faults are worded from abi/ on both platforms", () => {
  const env = { ANYK_BUILD_DIR: tempBuildDir("faults") };

  it("covers every refusal a kernel can provoke", () => {
    // MAIN_RETURNED is the one an image cannot reach: the generated entry always exits.
    expect(new Set(cases.map(([, line]) => line.split(":")[1].trim()))).toEqual(new Set(faults.filter((f) => f.name !== "MAIN_RETURNED").map((f) => f.kind)));
  });

  it.each(cases)("trap '%s': the same panic line in QEMU and in Node", async (command, expected) => {
    const [board, node] = await Promise.all([
      anyk(["boot", "test/apps/trap", "--board", "lm3s6965evb", "--timeout", "60"], { env, input: command, inputAfter: "trap: ready" }),
      anyk(["run", "test/apps/trap", "--board", "lm3s6965evb", "--timeout", "5"], { env, input: command }),
    ]);
    const panicLine = (out: string) => out.split("\n").find((l) => l.startsWith("panic: ")) ?? `(no panic line in: ${out})`;
    // What follows is where: the board names the pc, Node the wasm function; the words before agree.
    // (Node reports on stderr; the board has only its console.)
    expect(panicLine(board.stdout)).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} in `));
    expect(panicLine(node.stderr)).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} in `));
    expect(board.code).toBe(101);
    expect(node.code).toBe(101);
  });
});
