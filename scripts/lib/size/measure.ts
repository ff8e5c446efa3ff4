// Builds an image and makes its size report: linked normally, or, when it does not fit the board,
// once more against enlarged memories so that the table can still be shown. Then runs it (QEMU or
// Node) for the measured stack and heap high-water marks.
import type { Runtime } from "../runtimes.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { App } from "../apps.js";
import type { Board } from "../boards.js";
import { UserError } from "../errors.js";
import { buildFirmware, OVERSIZE_FACTOR } from "../firmware.js";
import { buildImage, type ImageBuild } from "../image.js";
import { runQemu } from "../qemu.js";
import { runImage } from "../userspace.js";
import { TextConsole } from "../../../platform/node/console-io.js";
import { sizeReport, withMeasured, type Measured, type SizeReport } from "./report.js";

export type MeasurePlatform = "qemu" | "userspace" | "none";

export interface MeasureOptions {
  with: string[];
  /** The kernel heap's runtime (--runtime), over the project's. */
  runtime?: Runtime;
  platform: MeasurePlatform;
  /** Console input for the measuring run. */
  input: string;
  timeoutSeconds: number;
  budgets?: Map<string, number>;
}

const DOES_NOT_FIT = /does not fit|overflowed|will not fit/i;

export async function measureImage(app: App, board: Board, options: MeasureOptions): Promise<SizeReport> {
  let built: ImageBuild;
  try {
    built = await buildImage(app, board, { with: options.with, runtime: options.runtime, firmware: true });
  } catch (err) {
    if (!(err instanceof UserError) || !DOES_NOT_FIT.test(err.message)) throw err;
    return measureOversize(await buildImage(app, board, { with: options.with, runtime: options.runtime, firmware: false }), options);
  }
  const o = built.outputs;
  const report = await sizeReport(built.plan, { wasm: o.wasm, names: o.names, elf: o.elf, map: o.map, kernelC: path.join(built.dir, "c", "kernel.c"), sourceMap: o.sourceMap }, { budgets: options.budgets });
  if (options.platform === "none") return report;
  const measured = options.platform === "qemu" ? await measureInQemu(board, o.elf, options) : await measureInUserspace(built, options);
  return withMeasured(report, measured);
}

/** The figures of an image too large for its board, from a link against enlarged memories; it is not run. */
async function measureOversize(image: ImageBuild, options: MeasureOptions): Promise<SizeReport> {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-oversize-"));
  try {
    const f = await buildFirmware(image.plan, image.outputs.wasm, staging, true);
    const report = await sizeReport(image.plan, { wasm: image.outputs.wasm, names: image.outputs.names, elf: f.elf, map: f.map, kernelC: path.join(f.sources, "kernel.c"), sourceMap: image.outputs.sourceMap }, { oversize: true, memoryScale: OVERSIZE_FACTOR, budgets: options.budgets });
    report.measured = { platform: options.platform === "userspace" ? "userspace" : "qemu", exitCode: null, stackHighWater: null, heapHighWater: null, note: "not run: the image does not fit the board" };
    return report;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function measureInQemu(board: Board, elf: string, options: MeasureOptions): Promise<Measured> {
  const result = await runQemu({ elf, board, serial: "stdio", timeoutMs: options.timeoutSeconds * 1000, onConsole: () => {}, input: options.input });
  const stack = result.measurements["stack-high-water"];
  if (result.timedOut || stack === undefined) {
    return { platform: "qemu", exitCode: result.exitCode, stackHighWater: null, heapHighWater: null, note: `the image did not exit within ${options.timeoutSeconds} s, so it reported nothing; give it console input that ends it (--input 'quit\\n') or more --timeout` };
  }
  return { platform: "qemu", exitCode: result.exitCode, stackHighWater: stack, heapHighWater: result.measurements["heap-high-water"] ?? 0 };
}

async function measureInUserspace(image: ImageBuild, options: MeasureOptions): Promise<Measured> {
  const result = await runImage({ wasm: image.outputs.wasm, names: image.outputs.names, plan: image.plan }, {
    console: new TextConsole(options.input),
    timeoutNs: BigInt(options.timeoutSeconds) * 1_000_000_000n,
    report: () => {},
  });
  // Node runs the kernel on its own stack: there is no C stack of the image's to measure.
  return { platform: "userspace", exitCode: result.exitCode, stackHighWater: null, heapHighWater: result.heapHighWater ?? null, note: "in userspace the kernel runs on Node's stack: only the heap is measured" };
}
