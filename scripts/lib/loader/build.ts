// Loader-mode builds: the resident bootloader of a board (the stub and loader.c, linked for all of
// flash and the bootloader's RAM) and images (the kernel with image.c, linked for the board's slot
// and image RAM, sealed with their header's length and CRCs).
import fs from "node:fs";
import path from "node:path";
import type { Board, LoaderLayout } from "../boards.js";
import { hex } from "../boards.js";
import { UserError } from "../errors.js";
import { boardHeader, gccArgs, kernelObject, linkerScript, modeDefines, modeSources, writeKernelSources, KERNEL_LIBS, speedKernelFlags, type Engine } from "../firmware.js";
import type { Device } from "../boards.js";
import { readElf } from "../elf.js";
import { writeFilesAtomic } from "../atomic.js";
import { BUILD_DIR, ROOT } from "../paths.js";
import { runTool } from "../toolchain.js";
import type { ImagePlan } from "../plan.js";
import { sealImage, wasmImage } from "./image-format.js";
import { publicKeyBytes, signImage } from "./signing.js";
import { CRYPTO_DIR } from "../paths.js";

/** SHA-512 and Ed25519 verification, linked into a bootloader built with a key. */
const CRYPTO_SOURCES = ["sha512.c", "ed25519.c"].map((f) => path.join(CRYPTO_DIR, f));
import { imageMemory } from "../firmware.js";

export function loaderOf(board: Board): LoaderLayout {
  if (!board.loader) throw new UserError(`board ${board.name} has no loader layout (field 'loader' in ${path.relative(ROOT, board.file)}): it cannot be flashed over serial yet`);
  return board.loader;
}

function loaderDefines(board: Board, loader: LoaderLayout): string[] {
  return [
    `#define ANYK_SLOT_START ${hex(loader.slot.start)}u`,
    `#define ANYK_SLOT_SIZE ${loader.slot.size}u`,
    `#define ANYK_STAGING_START ${hex(loader.staging.start)}u`,
    `#define ANYK_STAGING_SIZE ${loader.staging.size}u`,
    `#define ANYK_IMAGE_RAM_START ${hex(loader.imageRam.start)}u`,
    `#define ANYK_IMAGE_RAM_SIZE ${loader.imageRam.size}u`,
    `#define ANYK_LOADER_MEDIUM "${loader.medium}"`,
    `#define ANYK_LOADER_FLASH ${loader.medium === "flash" ? 1 : 0}`,
    // The unit the medium erases in: a flash page (the nRF51's is 1 KiB); RAM uses the same layout.
    `#define ANYK_MEDIUM_PAGE 1024u`,
    ...nvmcDefine(board, loader),
    `#define ANYK_LOADER_WINDOW_MS ${loader.windowMs}u`,
    `/* The board's devices an image may be granted (window, up to two lines; 255: none): a header's windows must be these. */`,
    `#define ANYK_BOARD_DEVICES {${grantable(board).map((d) => deviceRow(board, d)).join(", ")}}`,
  ];
}

/** Every device of the board an image may be granted: all but the flash controller the bootloader writes the slot with. */
export function grantable(board: Board): Device[] {
  return board.devices.filter((d) => d.compatible !== "nordic,nrf51-nvmc");
}

function deviceRow(board: Board, d: Device): string {
  const lines = Object.values(d.irqs);
  if (lines.length > 2) throw new UserError(`${path.relative(ROOT, board.file)}: device '${d.name}' has ${lines.length} interrupt lines; a bootloader's device table holds two`);
  const [a, b] = [lines[0] ?? 255, lines[1] ?? 255];
  return `{${hex(d.base)}u, ${hex(d.size)}u, {${a}, ${b}}}`;
}

/** Flash slots are written through the board's flash controller, which the board file names. */
function nvmcDefine(board: Board, loader: LoaderLayout): string[] {
  if (loader.medium !== "flash") return [];
  const nvmc = board.devices.find((d) => d.compatible === "nordic,nrf51-nvmc");
  if (!nvmc) throw new UserError(`${path.relative(ROOT, board.file)}: field 'loader.medium' is "flash", but the board has no flash controller the bootloader knows (nordic,nrf51-nvmc)`);
  return [`#define ANYK_NVMC_BASE ${hex(nvmc.base)}u`];
}

export interface BootloaderOutputs {
  elf: string;
  bin: string;
  hex: string;
  map: string;
}

/**
 * anyk build --bootloader: build/<board>/bootloader/bootloader.{elf,bin,hex,map}. With faults, a
 * test bootloader (in bootloader-faults/) that takes FAULT frames to cut the power after a given
 * number of erase and write operations.
 */
export async function buildBootloader(board: Board, faults = false, engine: Engine = "aot", keyFile?: string): Promise<BootloaderOutputs> {
  const loader = loaderOf(board);
  const interp = engine === "interp";
  const key = keyFile === undefined ? undefined : publicKeyBytes(keyFile);
  const dir = path.join(BUILD_DIR, board.buildName, `bootloader${interp ? "-interp" : ""}${key ? "-signed" : ""}${faults ? "-faults" : ""}`);
  const staging = path.join(dir, `.staging-${process.pid}`);
  const sources = path.join(staging, "c");
  fs.mkdirSync(sources, { recursive: true });
  try {
    // Every line of the board may be an image's: the vector table covers them all.
    const lines = board.devices.flatMap((d) => Object.values(d.irqs));
    // A wasm image brings up nothing itself: a bootloader with the interpreter brings up every device it may grant.
    const header = boardHeader(board, { staticEnd: 0, heapBytes: 0, linearBytes: 8 }, interp ? grantable(board) : [], { irqCount: lines.length ? Math.max(...lines) + 1 : 0, defines: loaderDefines(board, loader) });
    fs.writeFileSync(path.join(sources, "anyk_board.h"), header);
    fs.writeFileSync(path.join(sources, "firmware.ld"), linkerScript(board, false, loader.bootloaderRam));
    const out = { elf: path.join(staging, "bootloader.elf"), map: path.join(staging, "bootloader.map"), bin: path.join(staging, "bootloader.bin"), hex: path.join(staging, "bootloader.hex") };
    const mode = interp ? "bootloader-interp" : "bootloader";
    const files = [...modeSources(mode, board), ...(key ? CRYPTO_SOURCES : [])];
    // Any module may come: the engine takes floats.
    const defines = [...modeDefines(mode), ...(faults ? ["-DANYK_LOADER_FAULTS"] : []), ...(interp ? ["-DANYK_INTERP_FLOAT=1"] : []), ...(key ? [`-DANYK_LOADER_KEY={${[...key].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(",")}}`] : [])];
    await runTool("arm-none-eabi-gcc", [...gccArgs(board, sources, staging, out.map, path.join(sources, "firmware.ld")), ...defines, ...files, ...(interp ? KERNEL_LIBS : []), "-o", out.elf], `arm-none-eabi-gcc (bootloader for ${board.name})`);
    await runTool("arm-none-eabi-objcopy", ["-O", "binary", out.elf, out.bin], "arm-none-eabi-objcopy");
    await runTool("arm-none-eabi-objcopy", ["-O", "ihex", out.elf, out.hex], "arm-none-eabi-objcopy");
    const final = { elf: path.join(dir, "bootloader.elf"), bin: path.join(dir, "bootloader.bin"), hex: path.join(dir, "bootloader.hex"), map: path.join(dir, "bootloader.map") };
    writeFilesAtomic((Object.keys(final) as Array<keyof BootloaderOutputs>).map((k) => [final[k], fs.readFileSync(out[k])] as const));
    return final;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function imageLinkerScript(board: Board, loader: LoaderLayout): string {
  return `/* Generated by anyk build --image from ${path.relative(ROOT, board.file)}; do not edit. */
MEMORY
{
  SLOT (rwx) : ORIGIN = ${hex(loader.slot.start)}, LENGTH = ${loader.slot.size}
  IRAM (rwx) : ORIGIN = ${hex(loader.imageRam.start)}, LENGTH = ${loader.imageRam.size}
}
ENTRY(image_entry)
SECTIONS
{
  .text :
  {
    KEEP(*(.image_header))
    *(.text .text.*)
    *(.rodata .rodata.*)
    . = ALIGN(4);
  } > SLOT
  .ARM.exidx : { *(.ARM.exidx .ARM.exidx.*) } > SLOT
  .data : ALIGN(4)
  {
    anyk_data_start = .;
    *(.data .data.*)
    . = ALIGN(4);
    anyk_data_end = .;
  } > IRAM AT > SLOT
  anyk_data_load = LOADADDR(.data);
  .bss (NOLOAD) : ALIGN(8)
  {
    anyk_bss_start = .;
    *(.bss .bss.* COMMON)
    . = ALIGN(4);
    anyk_bss_end = .;
  } > IRAM
  anyk_image_ram_start = ORIGIN(IRAM);
  anyk_image_ram_end = .;
  /DISCARD/ : { *(.ARM.attributes.*) }
}
`;
}

export interface ImageFileOutputs {
  /** The sealed image: header and payload, what anyk flash sends. */
  image: string;
  elf: string;
  map: string;
}

/** anyk build --image --engine interp: build/<board>/<app>/kernel.wasm.img, kernel.wasm under a header, for a bootloader with the interpreter. */
export async function buildWasmImageFile(plan: ImagePlan, wasmFile: string, dir: string, signKey?: string): Promise<{ image: string }> {
  const loader = loaderOf(plan.board);
  const wasm = fs.readFileSync(wasmFile);
  const memory = await imageMemory(plan, wasm);
  if (wasm.length > loader.slot.size - 152) throw new UserError(`${plan.app.name}'s kernel.wasm (${wasm.length} bytes) does not fit ${plan.board.name}'s image slot (${loader.slot.size} bytes with the header)`);
  const sealed = wasmImage(wasm, {
    board: plan.board.name,
    slotStart: loader.slot.start,
    ramStart: loader.imageRam.start,
    linearBytes: memory.linearBytes,
    grants: plan.grants.map((d) => ({ base: d.base, size: d.size })),
    lines: plan.grants.flatMap((d) => Object.values(d.irqs)),
  });
  const image = path.join(dir, signKey ? "kernel.wasm.signed.img" : "kernel.wasm.img");
  writeFilesAtomic([[image, signKey ? signImage(sealed, signKey) : sealed]]);
  return { image };
}

/** anyk build --image: build/<board>/<app>/kernel.img (and image.elf, image.map). */
export async function buildImageFile(plan: ImagePlan, wasmFile: string, dir: string, signKey?: string): Promise<ImageFileOutputs> {
  const { board } = plan;
  const loader = loaderOf(board);
  const staging = path.join(dir, `.image-${process.pid}`);
  const sources = path.join(staging, "c");
  try {
    await writeKernelSources(plan, wasmFile, sources);
    fs.writeFileSync(path.join(sources, "image.ld"), imageLinkerScript(board, loader));
    const elf = path.join(staging, "image.elf"), map = path.join(staging, "image.map"), bin = path.join(staging, "image.bin");
    const args = (optimisation?: string[]) => gccArgs(board, sources, staging, map, path.join(sources, "image.ld"), optimisation);
    try {
      const files = modeSources("image", board, await kernelObject(plan, path.join(sources, "kernel.c"), args(speedKernelFlags(board)), "image"));
      await runTool("arm-none-eabi-gcc", [...args(), ...modeDefines("image"), ...files, ...KERNEL_LIBS, "-o", elf], `arm-none-eabi-gcc (image for ${board.name})`);
    } catch (err) {
      const overflow = /region `(SLOT|IRAM)' overflowed by (\d+) bytes/.exec((err as Error).message);
      if (!overflow) throw err;
      throw new UserError(`${plan.app.name} does not fit ${board.name}'s ${overflow[1] === "SLOT" ? `image slot (${loader.slot.size} bytes)` : `image RAM (${loader.imageRam.size} bytes)`}: over by ${overflow[2]} bytes`);
    }
    await runTool("arm-none-eabi-objcopy", ["-O", "binary", elf, bin], "arm-none-eabi-objcopy");
    const symbols = readElf(elf).symbols;
    const at = (name: string) => symbols.find((s) => s.name === name)?.value ?? 0;
    const sealed = sealImage(fs.readFileSync(bin), at("anyk_image_ram_end") - at("anyk_image_ram_start"));
    const out = { image: path.join(dir, signKey ? "kernel.signed.img" : "kernel.img"), elf: path.join(dir, "image.elf"), map: path.join(dir, "image.map") };
    writeFilesAtomic([[out.image, signKey ? signImage(sealed, signKey) : sealed], [out.elf, fs.readFileSync(elf)], [out.map, fs.readFileSync(map)]]);
    return out;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
