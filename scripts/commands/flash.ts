// anyk flash: sends an image to a board's resident bootloader over a serial port.
import fs from "node:fs";
import type { Command } from "../lib/command.js";
import { BAUD_OPTION, boardOption, ENGINE_OPTION, engineOption, portOption, SIGN_OPTION } from "../lib/options.js";
import { expectPositionals, requireString } from "../lib/command.js";
import { resolveApp } from "../lib/apps.js";
import { loadBoard } from "../lib/boards.js";
import { buildImage } from "../lib/image.js";
import { UsageError, UserError } from "../lib/errors.js";
import { buildImageFile, buildWasmImageFile } from "../lib/loader/build.js";
import type { Engine } from "../lib/firmware.js";
import { HEADER_BYTES, imageProblems, readHeader } from "../lib/loader/image-format.js";
import { flashImage } from "../lib/loader/flasher.js";
import { closePort, linkOf, openPort, parseBaud } from "../lib/loader/serial.js";
import { shown } from "../lib/paths.js";
import { currentProject } from "../lib/project.js";
import { buildBootloader } from "../lib/loader/build.js";
import { describeGdbLoad, flashOverGdb } from "../lib/install/gdb.js";
import { runFlashTool } from "../lib/install/external.js";
import { OPENOCD_FAILURES, openocdCommand } from "../lib/install/openocd.js";
import { DFU_FAILURES, dfuCommand } from "../lib/install/dfu.js";
import { STM32FLASH_FAILURES, stm32flashCommand } from "../lib/install/stm32flash.js";
import { copyToDrive, findDrive } from "../lib/install/drive.js";

/** What a debugger, probe or ROM bootloader writes: the app's whole firmware, or the board's bootloader, in each format. */
async function firmwareFiles(spec: string | undefined, board: string | undefined, bootloader: boolean): Promise<{ elf: string; hex: string; bin: string; what: string }> {
  if (!board) throw new UsageError("anyk flash: --board is needed to build what a debugger, probe or ROM bootloader writes (or \"board\" in anykernel.json)");
  if (bootloader) {
    if (spec !== undefined) throw new UsageError("anyk flash: --bootloader writes the board's bootloader; give no app");
    const built = await buildBootloader(loadBoard(board));
    return { ...built, what: `the ${board} bootloader (${shown(built.elf)})` };
  }
  if (spec === undefined && !currentProject()) throw new UsageError("anyk flash: give an app (or --bootloader)");
  const image = await buildImage(resolveApp(spec), loadBoard(board), { firmware: true });
  return { elf: image.outputs.elf, hex: image.outputs.hex, bin: image.outputs.bin, what: shown(image.outputs.elf) };
}

/** The first-install paths besides the serial bootloader; undefined when none was asked for. */
async function firstInstall(values: Record<string, unknown>, positionals: string[]): Promise<number | undefined> {
  const chosen = ["gdb", "probe", "drive", "dfu", "stm32flash"].filter((k) => values[k] !== undefined && values[k] !== false);
  if (chosen.length === 0) return undefined;
  if (chosen.length > 1) throw new UsageError(`anyk flash: choose one of --${chosen.join(", --")}`);
  if (positionals.length > 1) throw new UsageError(`anyk flash: one app at most, got ${positionals.join(" ")}`);
  const boardName = (values.board as string | undefined) ?? currentProject()?.board;
  const files = await firmwareFiles(positionals[0], boardName, values.bootloader === true);
  const board = loadBoard(boardName!);
  const progress = process.stderr.isTTY && !values.json;
  const done = (line: string, json: Record<string, unknown>) => {
    process.stdout.write(values.json ? JSON.stringify({ firmware: files.what, board: board.name, verified: true, ...json }) + "\n" : line + "\n");
    return 0;
  };
  switch (chosen[0]) {
    case "gdb": {
      const target = values.gdb as string;
      const result = await flashOverGdb(files.elf, target, { noRun: values["no-boot"] === true, progress });
      return done(describeGdbLoad(files.what, target, result, values["no-boot"] === true).trimEnd(), { gdb: target, bytes: result.bytes, milliseconds: Math.round(result.milliseconds), started: values["no-boot"] !== true, pc: result.pc, sp: result.sp });
    }
    case "probe": {
      if (values.probe !== "openocd") throw new UsageError(`anyk flash: --probe '${String(values.probe)}' is not known; the probe tool anyk drives is openocd (others: start their GDB server and use --gdb)`);
      await runFlashTool(openocdCommand(board, files.elf), OPENOCD_FAILURES);
      return done(`flashed ${files.what} with OpenOCD (${board.install.openocd!.join(", ")}): written, verified, reset`, { probe: "openocd" });
    }
    case "drive": {
      const drive = findDrive(board, values.drive as string, fs.existsSync("/proc/mounts") ? fs.readFileSync("/proc/mounts", "utf8") : undefined);
      const copied = await copyToDrive(files.hex, drive, DRIVE_SETTLE_MS);
      const daplink = fs.existsSync(`${drive}/DETAILS.TXT`) ? "" : ` (${drive} has no DETAILS.TXT: is it the board's DAPLink drive?)`;
      return done(`copied ${shown(files.hex)} to ${copied.file} (${copied.bytes} bytes); no FAIL.TXT after ${DRIVE_SETTLE_MS / 1000} s, so the interface chip took it${daplink}`, { drive, bytes: copied.bytes });
    }
    case "dfu":
      await runFlashTool(dfuCommand(board, files.bin), DFU_FAILURES);
      return done(`flashed ${shown(files.bin)} through the ROM DFU bootloader (${board.install.dfu!.device})`, { dfu: board.install.dfu!.device });
    default: {
      const port = values.stm32flash as string;
      await runFlashTool(stm32flashCommand(board, files.bin, port, parseBaud(values.baud as string | undefined, "flash")), STM32FLASH_FAILURES);
      return done(`flashed ${shown(files.bin)} through the ROM USART bootloader on ${port}: written, verified, started`, { stm32flash: port });
    }
  }
}

/** How long the DAPLink drive takes to flash and come back with its verdict. */
const DRIVE_SETTLE_MS = 3000;

async function imageBytes(spec: string, board: string | undefined, force: boolean, engine: Engine, signKey?: string): Promise<{ bytes: Uint8Array; from: string }> {
  if (spec.endsWith(".img") || (fs.existsSync(spec) && fs.statSync(spec).isFile())) {
    if (!fs.existsSync(spec)) throw new UserError(`${spec}: no such image file (build one with anyk build <app> --board B --image)`);
    const bytes = fs.readFileSync(spec);
    const problems = imageProblems(bytes);
    // --force sends even a damaged image: the bootloader's own checks then have their say.
    if (problems.length && !force) throw new UserError(`${spec}: not a sound anyk image: ${problems.join("; ")}`);
    if (bytes.length < HEADER_BYTES) throw new UserError(`${spec}: ${problems.join("; ")}`);
    if (board && readHeader(bytes).board !== board) throw new UserError(`${spec}: the image is for ${readHeader(bytes).board}, not ${board}`);
    return { bytes, from: spec };
  }
  if (!board) throw new UsageError(`anyk flash: '${spec}' is an app, so --board is needed to build its image`);
  const image = await buildImage(resolveApp(spec), loadBoard(board), { firmware: false });
  // --engine interp sends kernel.wasm itself, for a bootloader with the interpreter to validate and run.
  const built = engine === "interp" ? await buildWasmImageFile(image.plan, image.outputs.wasm, image.dir, signKey) : await buildImageFile(image.plan, image.outputs.wasm, image.dir, signKey);
  return { bytes: fs.readFileSync(built.image), from: shown(built.image) };
}

export const flashCommand: Command = {
  name: "flash",
  summary: "put an app on a board and verify it: through its serial bootloader, a GDB server, OpenOCD, its USB drive or a ROM bootloader",
  args: "<image.img | app>",
  options: {
    port: portOption("the serial port of the board (e.g. /dev/ttyACM0, or the pty anyk boot --bootloader prints)"),
    baud: BAUD_OPTION,
    board: boardOption("build the app for this board first; with an image file, check it is for this board"),
    force: { type: "boolean", help: "send the image even when it looks damaged or the bootloader is another board's or ABI's (it refuses it itself)" },
    engine: ENGINE_OPTION,
    sign: SIGN_OPTION,
    "no-boot": { type: "boolean", help: "stay in the bootloader after the image verified (it boots on the next reset)" },
    json: { type: "boolean", help: "print one JSON object: bytes, milliseconds, bytes_per_second, resumed_from, retries" },
    gdb: { type: "string", value: "host:port", help: "write the whole firmware (or --bootloader) through a GDB server instead: OpenOCD, pyOCD, J-Link, Black Magic Probe, anyk boot --gdb" },
    probe: { type: "string", value: "openocd", help: "write the firmware through OpenOCD with the board file's interface and target configuration" },
    drive: { type: "string", value: "path|auto", help: "copy firmware.hex onto the board's USB drive (micro:bit: MICROBIT); auto finds it among the mounts" },
    dfu: { type: "boolean", help: "write firmware.bin through the STM32's ROM DFU bootloader with dfu-util (BOOT0 high at reset)" },
    stm32flash: { type: "string", value: "port", help: "write firmware.bin through the STM32's ROM USART bootloader on this serial port with stm32flash" },
    bootloader: { type: "boolean", help: "with --gdb, --probe, --drive, --dfu or --stm32flash: write the board's serial bootloader, the first install on a new board" },
  },
  details: [
    "The bootloader (anyk build --bootloader --board B) waits a short window after reset for a host; anyk flash",
    "says hello until it answers. Every chunk is acknowledged; a cut transfer resumes where the bootloader stopped.",
    "The image becomes the boot image only after the bootloader verified it whole. The protocol: docs/flash.md.",
    "With --gdb, the firmware's segments are written through the GDB remote protocol, read back and compared,",
    "and the core is started at the reset vector. First contact with each board: docs/boards.md.",
  ],
  async run(positionals, values) {
    const installed = await firstInstall(values, positionals);
    if (installed !== undefined) return installed;
    if (values.bootloader) throw new UsageError("anyk flash: --bootloader goes with --gdb, --probe, --drive, --dfu or --stm32flash (the serial bootloader cannot replace itself)");
    const [spec] = expectPositionals(this, positionals, ["<image.img | app>"]);
    const portPath = requireString(this, values, "port");
    const baud = parseBaud(values.baud as string | undefined, "flash");
    const { bytes, from } = await imageBytes(spec, (values.board as string | undefined) ?? currentProject()?.board, values.force === true, engineOption(values.engine), values.sign as string | undefined);
    const port = await openPort(portPath, baud);
    const tty = process.stderr.isTTY && !values.json;
    try {
      const result = await flashImage(linkOf(port), bytes, portPath, {
        force: values.force === true,
        noGo: values["no-boot"] === true,
        onProgress: tty ? (p) => process.stderr.write(`\r${p.sent} / ${p.total} B  ${Math.floor((100 * p.sent) / p.total)}%  ${(p.bytesPerSecond / 1024).toFixed(1)} KiB/s   `) : undefined,
      });
      if (tty) process.stderr.write("\n");
      const rate = Math.round(((result.bytes - result.resumedFrom) * 1000) / Math.max(result.milliseconds, 1));
      if (values.json) {
        process.stdout.write(JSON.stringify({ image: from, port: portPath, board: result.info.board, bytes: result.bytes, milliseconds: Math.round(result.milliseconds), bytes_per_second: rate, resumed_from: result.resumedFrom, retries: result.retries, port_closed_after_go: result.closedAfterGo === true }) + "\n");
      } else {
        const resumed = result.resumedFrom ? `, resumed at ${result.resumedFrom}` : "";
        process.stdout.write(`flashed ${from} to ${result.info.board} on ${portPath}: ${result.bytes} bytes in ${Math.round(result.milliseconds)} ms (${rate} B/s${resumed}); verified${values["no-boot"] ? ", boots on the next reset" : result.closedAfterGo ? ", booted (the port closed as the image started)" : ", booting"}\n`);
      }
      return 0;
    } finally {
      await closePort(port);
    }
  },
};
