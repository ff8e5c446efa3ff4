// anyk build: compiles an app for a board into build/<board>/<app>/.
import fs from "node:fs";
import type { Command } from "../lib/command.js";
import { UsageError } from "../lib/errors.js";
import { boardOption, ENGINE_OPTION, engineOption, OPTIMIZE_OPTION, optimizeOption, RUNTIME_OPTION, SIGN_OPTION, WITH_OPTION } from "../lib/options.js";
import { runtimeOption } from "../lib/runtimes.js";
import { expectPositionals, appArgument, boardArgument } from "../lib/command.js";
import { resolveApp } from "../lib/apps.js";
import { loadBoard } from "../lib/boards.js";
import { buildImage } from "../lib/image.js";
import { shown } from "../lib/paths.js";
import { explainLines } from "../lib/plan.js";
import { buildBootloader, buildImageFile, buildWasmImageFile } from "../lib/loader/build.js";

/** --with c1,c2 as a list of component names. */
export function withList(value: string | boolean | undefined): string[] {
  return typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

export const buildCommand: Command = {
  name: "build",
  summary: "compile an app into a kernel image for a board",
  args: "<app> | --bootloader",
  options: {
    board: boardOption("the board to build for"),
    bootloader: { type: "boolean", help: "build the board's resident serial bootloader (loader mode) instead of an app" },
    "fault-injection": { type: "boolean", help: "with --bootloader: a test bootloader that can cut its power after N flash operations" },
    image: { type: "boolean", help: "also build kernel.img: the app linked for the bootloader's slot, with its header (for anyk flash)" },
    debug: { type: "boolean", help: "also write kernel.debug.wasm: unoptimised, with assertions and names" },
    force: { type: "boolean", help: "rebuild even when no input changed" },
    with: WITH_OPTION,
    runtime: RUNTIME_OPTION,
    engine: ENGINE_OPTION,
    optimize: OPTIMIZE_OPTION,
    sign: SIGN_OPTION,
    key: { type: "string", value: "key", help: "with --bootloader: take only images signed with this key's private half (its public key, or the private key file)" },
    explain: { type: "boolean", help: "print the image's components, why each is in it, and the devices bound" },
    wasm: { type: "boolean", help: "build only kernel.wasm, not the board firmware" },
    json: { type: "boolean", help: "print one JSON object: { app, board, outputs: { kind: path }, ... }" },
  },
  details: [
    "<app> is a name under kernel/apps/ (hello) or a path to a folder with a main.ts (test/apps/trap).",
    "Outputs: kernel.wasm (release, no names), kernel.names.json, kernel.wasm.map (its source map),",
    "kernel.debug.wasm with --debug, and the board firmware: firmware.elf, firmware.bin, firmware.hex,",
    "firmware.map (the linker's map), with the C it compiled in c/.",
  ],
  async run(positionals, values) {
    if (values.bootloader) {
      expectPositionals(this, positionals, []);
      const board = loadBoard(boardArgument(this, values));
      const outputs = await buildBootloader(board, values["fault-injection"] === true, engineOption(values.engine), values.key as string | undefined);
      if (values.json) process.stdout.write(JSON.stringify({ board: board.name, bootloader: true, outputs }) + "\n");
      else for (const file of Object.values(outputs)) process.stdout.write(`wrote ${shown(file)}\n`);
      return 0;
    }
    const appSpec = appArgument(this, positionals);
    const board = loadBoard(boardArgument(this, values));
    const app = resolveApp(appSpec);
    const started = performance.now();
    const engine = engineOption(values.engine);
    const image = await buildImage(app, board, { debug: values.debug === true, force: values.force === true, firmware: values.wasm !== true, with: withList(values.with), runtime: runtimeOption(values.runtime), engine, optimize: optimizeOption(values.optimize) });
    const signKey = values.sign as string | undefined;
    if (signKey && !values.image) throw new UsageError("anyk build: --sign signs a loader-mode image: add --image");
    if (values.image && engine === "interp") {
      Object.assign(image.outputs, { image: (await buildWasmImageFile(image.plan, image.outputs.wasm, image.dir, signKey)).image });
    } else if (values.image) {
      const built = await buildImageFile(image.plan, image.outputs.wasm, image.dir, signKey);
      Object.assign(image.outputs, { image: built.image, imageElf: built.elf, imageMap: built.map });
    }
    const ms = Math.round(performance.now() - started);
    const { plan } = image;
    if (values.json) {
      const components = plan.resolution.components.map((c) => ({ name: c.name, layer: c.layer, why: c === plan.appComponent ? "the app" : plan.resolution.why.get(c.name) }));
      const bindings = plan.resolution.bindings.map((b) => ({ class: b.deviceClass, device: b.device.name, compatible: b.device.compatible, driver: b.driver.name, base: b.device.base, size: b.device.size, irqs: b.device.irqs }));
      process.stdout.write(JSON.stringify({ app: app.name, board: board.name, rebuilt: image.rebuilt, wasm_bytes: image.wasmBytes, milliseconds: ms, heap_cap: plan.heapCap, components, bindings, outputs: image.outputs }) + "\n");
      return 0;
    }
    if (values.explain) process.stdout.write(explainLines(plan).join("\n") + "\n");
    // The loader-mode image is linked on every --image build, whatever the rest was.
    const written = new Set(values.image ? ["image", "imageElf", "imageMap"] : []);
    for (const [kind, file] of Object.entries(image.outputs)) {
      const verb = image.rebuilt || written.has(kind) ? "wrote" : "up to date:";
      const note = kind === "wasm" ? ` (${image.wasmBytes} bytes)` : kind === "bin" ? ` (${fs.statSync(file).size} bytes of flash)` : kind === "image" ? ` (${fs.statSync(file).size} bytes, for anyk flash)` : "";
      process.stdout.write(`${verb} ${shown(file)}${note}\n`);
    }
    return 0;
  },
};
