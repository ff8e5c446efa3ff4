// Boards are data: boards/<name>/board.json, which `inherits` a chip description (chips/<chip>.json:
// the core, memory and devices of the SoC) and adds what the board wires: console, LEDs, QEMU's
// machine, the loader's layout. This module merges and loads them and checks every field, so a
// mistake is reported as "file: field: what is wrong, what would be valid".
import { parseNetSettings, type NetSettings } from "./net-settings.js";
import fs from "node:fs";
import path from "node:path";
import { BOARDS_DIR, CHIPS_DIR, foldersWith, shown } from "./paths.js";
import { UserError, unknownName } from "./errors.js";
import { anykernelPackages, currentProject } from "./project.js";

export const CPUS = ["cortex-m0", "cortex-m3", "cortex-m4"] as const;
export type Cpu = (typeof CPUS)[number];

export interface MemoryRegion {
  name: string;
  kind: "flash" | "ram";
  start: number;
  size: number;
}

export interface Device {
  name: string;
  compatible: string;
  base: number;
  size: number;
  /** Interrupt lines by role; a device with one line has the role "irq". */
  irqs: Record<string, number>;
  /** The device's input clock (a timer's count rate, a UART's baud clock), Hz: its own `clock_hz`, else the board's. */
  clockHz: number;
  /** The clock-gate bit that must be set before the device's registers answer, where the chip has one. */
  gate?: { reg: number; bit: number };
  /** The alternate-function number its pins take (STM32 AFRL/AFRH). */
  af?: number;
  /** Its own pin-select registers by pin role (nRF51 PSELTXD/PSELRXD), as offsets. */
  psel?: Record<string, number>;
}

/**
 * One step of bring-up, as the board file writes it: "set" bits (read-modify-write under mask, a
 * plain write when the mask is all ones), "wait" until they read back, or "delay" for value loop
 * iterations (a crystal settling where the chip has no ready flag).
 */
export interface RawStep {
  reg: number;
  /** The bits the step owns; all 32 when the file gives none (a plain write, no read). */
  mask: number;
  value: number;
  op: "set" | "wait" | "delay";
  what: string;
}

/** How the chip routes a device's signal to a pin: Stellaris AFSEL/DEN, STM32 MODER/AFR, nRF51 PSEL, or no multiplexing. */
export const PINMUX_SCHEMES = ["stellaris", "stm32", "nrf51", "none"] as const;
export type PinmuxScheme = (typeof PINMUX_SCHEMES)[number];

/** A device's signal on a pin: the GPIO port device and the pin number. */
export interface PinRef {
  port: string;
  pin: number;
}

export interface Board {
  name: string;
  /** The chip description it inherits (chips/<chip>.json), if any. */
  chip?: string;
  description: string;
  cpu: Cpu;
  clockHz: number;
  memory: MemoryRegion[];
  console: string;
  /** The devices kernel drivers may bind (the timebase is not among them). */
  devices: Device[];
  /** The timer the stub keeps time with, where the core has no SysTick (the nRF51); the stub owns it. */
  timebase?: Device;
  /** The device to bind for a device class when several could serve ("gpio" → "gpiof"), as a devicetree's /chosen. */
  chosen: Record<string, string>;
  /** LEDs: the GPIO device and pin of each, first the one apps blink. */
  leds: Array<{ device: string; pin: number }>;
  /** The chip's pin multiplexing scheme. */
  pinmux: PinmuxScheme;
  /** The console's baud rate, which every bound UART takes too. */
  baud: number;
  /** The pins the board wires to a device's signals, by device name and role ("tx", "rx"). */
  pins: Record<string, Record<string, PinRef>>;
  /** GPIO pins by the board's own names ("BUTTON_A" → gpio.17), for the app API's board.pins. */
  gpioPins: Record<string, PinRef>;
  /** The network interface's static configuration, if the board file gives one. */
  net?: NetSettings;
  /** What the chip needs before any device works (starting a clock), run first. */
  clockBringup: RawStep[];
  /** Board-specific steps run when a device is brought up (an LED matrix column driven low). */
  bringup: Record<string, RawStep[]>;
  qemu: {
    machine: string;
    args: string[];
    /** The clocks QEMU's machine runs where they differ from the chip's (QEMU 7.2 models no STM32 RCC). */
    clockHz?: number;
    deviceClocks: Record<string, number>;
  };
  /** Set on the view of the board that QEMU's machine gives (emulated()): its clocks, its own build folder. */
  emulated?: boolean;
  /** The folder under build/ for this board's images: its name, or name@qemu for an emulated view with other clocks. */
  buildName: string;
  /** How a real board takes its first firmware besides a GDB server: OpenOCD configs, a USB drive, ROM bootloaders. */
  install: BoardInstall;
  /** Loader mode (anyk flash): where the bootloader keeps images, when the board has one. */
  loader?: LoaderLayout;
  /** The UF2 family ID of the board's chip, when its own loader takes UF2 files (firmware.uf2 is built). */
  uf2Family?: number;
  /** Bytes of RAM for the interpreter's tables and stacks (--engine interp), beside the linear memory. */
  interpArena: number;
  file: string;
  /** Where its board file came from: "toolchain", "project" or "package <name>". */
  origin?: string;
}

export interface BoardInstall {
  /** OpenOCD -f files: interface then target (or one board file). */
  openocd?: string[];
  /** The label of the drive the board's interface chip shows (DAPLink: MICROBIT). */
  drive?: string;
  /** The ROM DFU bootloader: USB vid:pid, alternate setting, flash address. */
  dfu?: { device: string; alt: number; address: number };
  /** The ROM USART bootloader (stm32flash): the flash address to write and start at. */
  stm32flash?: { address: number };
}

export interface LoaderLayout {
  /** "flash" where the board's flash controller is emulated by QEMU, "ram" where it is not. */
  medium: "flash" | "ram";
  /** The bootloader's own RAM (data, bss, stack); its code is at the start of flash. */
  bootloaderRam: { start: number; size: number };
  /** The boot image, as linked: its header first. */
  slot: { start: number; size: number };
  /** Where a transfer lands until it verified whole. */
  staging: { start: number; size: number };
  /** The image's data, bss and linear memory. */
  imageRam: { start: number; size: number };
  /** How long the bootloader waits for a host after reset before it boots the slot. */
  windowMs: number;
}

class BoardError extends UserError {}

/** Checks one JSON value at a field path; every failure names the file and the field. */
class Fields {
  constructor(readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new BoardError(`${shown(this.file)}: field '${field}' ${problem}`);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(field, `must be an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  }

  string(v: unknown, field: string): string {
    if (typeof v !== "string" || v === "") this.fail(field, `must be a non-empty string, got ${describe(v)}`);
    return v;
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `must be an array, got ${describe(v)}`);
    return v;
  }

  /** An address or size: a non-negative integer, "0x…" hex, or a size with a K/M suffix. */
  number(v: unknown, field: string, allowSuffix: boolean): number {
    let n: number | undefined;
    if (typeof v === "number" && Number.isInteger(v)) n = v;
    else if (typeof v === "string") {
      const m = /^(0x[0-9a-f]+|\d+)([KM]?)$/i.exec(v.trim());
      if (m && (allowSuffix || m[2] === "")) n = Number(m[1]) * (m[2].toUpperCase() === "K" ? 1024 : m[2].toUpperCase() === "M" ? 1 << 20 : 1);
    }
    if (n === undefined || n < 0 || n > 0xffffffff) {
      this.fail(field, `must be an integer or a string like "0x20000000"${allowSuffix ? ' or "64K"' : ""} within 32 bits, got ${describe(v)}`);
    }
    return n;
  }

  oneOf<T extends string>(v: unknown, field: string, choices: readonly T[]): T {
    if (!choices.includes(v as T)) this.fail(field, `must be one of ${choices.join(", ")}, got ${describe(v)}`);
    return v as T;
  }

  noExtra(obj: Record<string, unknown>, field: string, allowed: string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail(field ? `${field}.${key}` : key, `is not a board field; valid fields here: ${allowed.join(", ")}`);
    }
  }
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing (the field is missing)";
  return JSON.stringify(v);
}

/** A board or chip file's top-level object, or an error naming the file. */
function parseTop(f: Fields, text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BoardError(`${shown(f.file)}: not valid JSON: ${(err as Error).message}`);
  }
  return f.object(json, "(top level)");
}

export function parseBoard(file: string, text: string): Board {
  const f = new Fields(file);
  const own = parseTop(f, text);
  f.noExtra(own, "", ["$comment", "name", "inherits", "description", "cpu", "clock_hz", "memory", "console", "timebase", "devices", "chosen", "leds", "qemu", "loader", "uf2_family", "pinmux", "clock_bringup", "baud", "pins", "gpio_pins", "bringup", "install", "net", "interp_arena"]);
  const parent = own.inherits === undefined ? undefined : f.string(own.inherits, "inherits");
  const inherited = parent === undefined ? undefined : inherit(f, parent, own, 0);
  const top = inherited?.merged ?? own;
  const chip = inherited?.chip;
  const name = f.string(top.name, "name");
  const folder = path.basename(path.dirname(file));
  if (name !== folder) f.fail("name", `must match its folder '${folder}', got "${name}"`);

  const clockHz = f.number(top.clock_hz, "clock_hz", false);
  if (clockHz === 0) f.fail("clock_hz", "must be positive");

  const memory = f.array(top.memory, "memory").map((raw, i): MemoryRegion => {
    const at = `memory[${i}]`;
    const m = f.object(raw, at);
    f.noExtra(m, at, ["name", "kind", "start", "size"]);
    const region = {
      name: f.string(m.name, `${at}.name`),
      kind: f.oneOf(m.kind, `${at}.kind`, ["flash", "ram"] as const),
      start: f.number(m.start, `${at}.start`, false),
      size: f.number(m.size, `${at}.size`, true),
    };
    if (region.size === 0) f.fail(`${at}.size`, "must be positive");
    return region;
  });
  for (const kind of ["flash", "ram"] as const) {
    if (!memory.some((m) => m.kind === kind)) f.fail("memory", `must have a region of kind "${kind}"`);
  }

  const devices = f.array(top.devices, "devices").map((raw, i): Device => {
    const at = `devices[${i}]`;
    const d = f.object(raw, at);
    f.noExtra(d, at, ["name", "compatible", "reg", "irq", "clock_hz", "$comment", "gate", "af", "psel"]);
    const reg = f.object(d.reg, `${at}.reg`);
    f.noExtra(reg, `${at}.reg`, ["base", "size"]);
    let irqs: Record<string, number> = {};
    if (typeof d.irq === "object" && d.irq !== null && !Array.isArray(d.irq)) {
      for (const [role, line] of Object.entries(d.irq)) irqs[role] = f.number(line, `${at}.irq.${role}`, false);
    } else if (d.irq !== undefined) irqs = { irq: f.number(d.irq, `${at}.irq`, false) };
    for (const [role, line] of Object.entries(irqs)) if (line > 239) f.fail(`${at}.irq${role === "irq" ? "" : "." + role}`, `must be an interrupt line 0..239, got ${line}`);
    const device = {
      name: f.string(d.name, `${at}.name`),
      compatible: f.string(d.compatible, `${at}.compatible`),
      base: f.number(reg.base, `${at}.reg.base`, false),
      size: f.number(reg.size, `${at}.reg.size`, true),
      irqs,
      clockHz: d.clock_hz === undefined ? clockHz : f.number(d.clock_hz, `${at}.clock_hz`, false),
      gate: d.gate === undefined ? undefined : parseGate(f, d.gate, `${at}.gate`),
      af: d.af === undefined ? undefined : f.number(d.af, `${at}.af`, false),
      psel: d.psel === undefined ? undefined : Object.fromEntries(Object.entries(f.object(d.psel, `${at}.psel`)).map(([role, off]) => [role, f.number(off, `${at}.psel.${role}`, false)])),
    };
    if (device.af !== undefined && device.af > 15) f.fail(`${at}.af`, `must be an alternate function 0..15, got ${device.af}`);
    if (device.clockHz === 0) f.fail(`${at}.clock_hz`, "must be positive");
    if (device.size === 0) f.fail(`${at}.reg.size`, "must be positive");
    // The stub's grant check tests range and alignment with one compare, which needs whole words.
    if (device.base % 4 !== 0) f.fail(`${at}.reg.base`, `must be a multiple of 4 (a register window starts on a word), got ${hex(device.base)}`);
    if (device.size % 4 !== 0) f.fail(`${at}.reg.size`, `must be a multiple of 4 (a register window is whole words), got ${device.size}`);
    // The stub's MMIO accesses tell GCC they write no memory, which holds only while no window is RAM.
    const over = memory.find((m) => device.base < m.start + m.size && m.start < device.base + device.size);
    if (over) f.fail(`${at}.reg`, `must not overlap memory region "${over.name}" (${hex(over.start)} + ${over.size}): a device window is registers, not memory`);
    return device;
  });
  const names = new Set<string>();
  devices.forEach((d, i) => {
    if (names.has(d.name)) f.fail(`devices[${i}].name`, `repeats the device name "${d.name}"`);
    names.add(d.name);
  });

  const deviceName = (v: unknown, field: string): string => {
    const n = f.string(v, field);
    if (!names.has(n)) f.fail(field, `must name one of the board's devices (${[...names].join(", ")}), got "${n}"`);
    return n;
  };
  const consoleName = deviceName(top.console, "console");

  let timebase: Device | undefined;
  if (top.timebase !== undefined) {
    const n = deviceName(top.timebase, "timebase");
    if (n === consoleName) f.fail("timebase", `must be a timer, not the console device "${n}"`);
    timebase = devices.find((d) => d.name === n)!;
    if (Object.keys(timebase.irqs).length !== 1) f.fail("timebase", `must name a device with one interrupt line, and "${n}" has ${Object.keys(timebase.irqs).length}`);
    // The stub owns it: no driver may bind it, no LED or chosen entry name it.
    names.delete(n);
  }
  const chosen: Record<string, string> = {};
  for (const [deviceClass, device] of Object.entries(f.object(top.chosen ?? {}, "chosen"))) chosen[deviceClass] = deviceName(device, `chosen.${deviceClass}`);
  const leds = f.array(top.leds ?? [], "leds").map((raw, i) => {
    const at = `leds[${i}]`;
    const led = f.object(raw, at);
    f.noExtra(led, at, ["device", "pin"]);
    const pin = f.number(led.pin, `${at}.pin`, false);
    if (pin > 31) f.fail(`${at}.pin`, `must be a pin number 0..31, got ${pin}`);
    return { device: deviceName(led.device, `${at}.device`), pin };
  });

  const pinmux = top.pinmux === undefined ? "none" : f.oneOf(top.pinmux, "pinmux", PINMUX_SCHEMES);
  const baud = top.baud === undefined ? 115200 : f.number(top.baud, "baud", false);
  if (baud < 300 || baud > 4_000_000) f.fail("baud", `must be a baud rate 300..4000000, got ${baud}`);
  const pinRef = (ref: unknown, at: string): PinRef => {
    const m = /^([a-z][\w-]*)\.(\d+)$/.exec(f.string(ref, at));
    if (!m) f.fail(at, `must be "<gpio device>.<pin>" like "gpioa.1", got ${describe(ref)}`);
    const port = deviceName(m![1], at);
    const pin = Number(m![2]);
    if (pin > 31) f.fail(at, `must name a pin 0..31, got ${pin}`);
    return { port, pin };
  };
  const pins: Record<string, Record<string, PinRef>> = {};
  for (const [deviceField, roles] of Object.entries(f.object(top.pins ?? {}, "pins"))) {
    if (deviceField === "$comment") continue;
    const owner = deviceName(deviceField, `pins.${deviceField}`);
    pins[owner] = {};
    for (const [role, ref] of Object.entries(f.object(roles, `pins.${owner}`))) pins[owner][role] = pinRef(ref, `pins.${owner}.${role}`);
  }
  const gpioPins: Record<string, PinRef> = {};
  for (const [pinName, ref] of Object.entries(f.object(top.gpio_pins ?? {}, "gpio_pins"))) {
    if (pinName === "$comment") continue;
    if (!/^[A-Za-z_]\w*$/.test(pinName)) f.fail(`gpio_pins.${pinName}`, "must be named as an identifier (letters, digits, _), so that board.pins.<name> can be written");
    gpioPins[pinName] = pinRef(ref, `gpio_pins.${pinName}`);
  }
  const clockBringup = f.array(top.clock_bringup ?? [], "clock_bringup").map((raw, i) => parseStep(f, raw, `clock_bringup[${i}]`));
  const bringup: Record<string, RawStep[]> = {};
  for (const [owner, steps] of Object.entries(f.object(top.bringup ?? {}, "bringup"))) {
    bringup[deviceName(owner, `bringup.${owner}`)] = f.array(steps, `bringup.${owner}`).map((raw, i) => parseStep(f, raw, `bringup.${owner}[${i}]`));
  }

  const qemu = f.object(top.qemu, "qemu");
  f.noExtra(qemu, "qemu", ["$comment", "machine", "args", "clock_hz", "devices"]);
  const args = f.array(qemu.args ?? [], "qemu.args").map((a, i) => f.string(a, `qemu.args[${i}]`));
  const deviceClocks: Record<string, number> = {};
  for (const [device, raw] of Object.entries(f.object(qemu.devices ?? {}, "qemu.devices"))) {
    const at = `qemu.devices.${device}`;
    if (!devices.some((d) => d.name === device)) f.fail(at, `must name one of the board's devices (${devices.map((d) => d.name).join(", ")})`);
    const o = f.object(raw, at);
    f.noExtra(o, at, ["clock_hz"]);
    deviceClocks[device] = f.number(o.clock_hz, `${at}.clock_hz`, false);
  }

  const loader = top.loader === undefined ? undefined : parseLoader(f, f.object(top.loader, "loader"), memory);
  const install = parseInstall(f, f.object(top.install ?? {}, "install"));

  return {
    name,
    chip,
    loader,
    uf2Family: top.uf2_family === undefined ? undefined : f.number(top.uf2_family, "uf2_family", false),
    description: f.string(top.description, "description"),
    cpu: f.oneOf(top.cpu, "cpu", CPUS),
    clockHz,
    memory,
    console: consoleName,
    devices: devices.filter((d) => d !== timebase),
    timebase,
    chosen,
    leds,
    pinmux,
    baud,
    pins,
    gpioPins,
    interpArena: interpArena(f, top.interp_arena),
    net: top.net === undefined ? undefined : parseNetSettings(top.net, (field, problem) => f.fail(field, problem)),
    clockBringup,
    bringup,
    qemu: { machine: f.string(qemu.machine, "qemu.machine"), args, clockHz: qemu.clock_hz === undefined ? undefined : f.number(qemu.clock_hz, "qemu.clock_hz", false), deviceClocks },
    buildName: name,
    install,
    file,
  };
}

/** What a chip description may hold: the SoC's own facts, never a board's wiring. */
const CHIP_FIELDS = ["$comment", "name", "cpu", "clock_hz", "memory", "devices", "timebase", "uf2_family", "pinmux", "clock_bringup", "bringup"];

function parseGate(f: Fields, raw: unknown, at: string): { reg: number; bit: number } {
  const g = f.object(raw, at);
  f.noExtra(g, at, ["reg", "bit"]);
  const gate = { reg: f.number(g.reg, `${at}.reg`, false), bit: f.number(g.bit, `${at}.bit`, false) };
  if (gate.bit > 31) f.fail(`${at}.bit`, `must be a bit 0..31, got ${gate.bit}`);
  if (gate.reg % 4 !== 0) f.fail(`${at}.reg`, `must be a word address (a multiple of 4), got ${hex(gate.reg)}`);
  return gate;
}

function parseStep(f: Fields, raw: unknown, at: string): RawStep {
  const s = f.object(raw, at);
  f.noExtra(s, at, ["reg", "mask", "value", "wait", "delay", "what"]);
  if (s.delay !== undefined) {
    if (s.reg !== undefined || s.value !== undefined || s.wait !== undefined) f.fail(`${at}.delay`, "is a step of its own: give only delay (loop iterations) and what");
    return { reg: 0, mask: 0, value: f.number(s.delay, `${at}.delay`, false), op: "delay", what: f.string(s.what, `${at}.what`) };
  }
  const step = {
    reg: f.number(s.reg, `${at}.reg`, false),
    mask: s.mask === undefined ? 0xffffffff : f.number(s.mask, `${at}.mask`, false),
    value: f.number(s.value, `${at}.value`, false),
    op: s.wait === undefined ? ("set" as const) : s.wait === true ? ("wait" as const) : f.fail(`${at}.wait`, `must be true or absent, got ${describe(s.wait)}`),
    what: f.string(s.what, `${at}.what`),
  };
  if (step.reg % 4 !== 0) f.fail(`${at}.reg`, `must be a word address (a multiple of 4), got ${hex(step.reg)}`);
  if ((step.value & ~step.mask) !== 0) f.fail(`${at}.value`, `sets bits outside its mask ${hex(step.mask)}`);
  return step;
}

export function chipNames(): string[] {
  if (!fs.existsSync(CHIPS_DIR)) return [];
  return fs.readdirSync(CHIPS_DIR).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
}

/**
 * A board's fields over what it inherits: a chip description, or another board (which may itself
 * inherit), as TinyGo's targets do. The board's field replaces the parent's, except devices, which
 * the board extends (a new name) or amends field by field (a name the parent has).
 */
function inherit(f: Fields, parent: string, board: Record<string, unknown>, depth: number): { merged: Record<string, unknown>; chip: string } {
  if (chipNames().includes(parent)) return { merged: inheritChip(f, parent, board), chip: parent };
  const source = boardSources().flatMap((s) => (fs.existsSync(path.join(s.dir, parent, "board.json")) ? [path.join(s.dir, parent, "board.json")] : []))[0];
  if (!source) f.fail("inherits", `must name a chip description (${chipNames().join(", ")}) or a board (${boardNames().join(", ")}), got "${parent}"`);
  if (depth > 4) f.fail("inherits", `goes more than 4 boards deep (a loop?) at "${parent}"`);
  const pf = new Fields(source!);
  const raw = parseTop(pf, fs.readFileSync(source!, "utf8"));
  const up = raw.inherits === undefined ? { merged: raw, chip: undefined } : inherit(pf, pf.string(raw.inherits, "inherits"), raw, depth + 1);
  const { name: _name, inherits: _inherits, $comment: _comment, ...fields } = up.merged;
  const merged = mergeDevices(f, fields, board);
  return { merged, chip: up.chip ?? parent };
}

/** parent's fields, then the board's; devices amended by name. */
function mergeDevices(f: Fields, parent: Record<string, unknown>, board: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...parent, ...board };
  const devices = ((parent.devices ?? []) as Array<Record<string, unknown>>).map((d) => ({ ...d }));
  f.array(board.devices ?? [], "devices").forEach((raw, i) => {
    const d = f.object(raw, `devices[${i}]`);
    const at = devices.findIndex((x) => x.name === d.name);
    if (at >= 0) devices[at] = { ...devices[at], ...d };
    else devices.push(d);
  });
  merged.devices = devices;
  return merged;
}

function inheritChip(f: Fields, chip: string, board: Record<string, unknown>): Record<string, unknown> {
  const known = chipNames();
  if (!known.includes(chip)) f.fail("inherits", `must name a chip description in ${shown(CHIPS_DIR)} (${known.join(", ") || "none"}), got "${chip}"`);
  const file = path.join(CHIPS_DIR, `${chip}.json`);
  const c = new Fields(file);
  const facts = parseTop(c, fs.readFileSync(file, "utf8"));
  c.noExtra(facts, "", CHIP_FIELDS);
  if (facts.name !== chip) c.fail("name", `must match its file name '${chip}', got ${describe(facts.name)}`);
  const { $comment: _comment, name: _name, ...inherited } = facts;
  c.array(facts.devices ?? [], "devices");
  // A device's steps from the chip (a second clock gate) stay unless the board gives that device its own.
  const merged = mergeDevices(f, inherited, board);
  if (facts.bringup !== undefined && board.bringup !== undefined) merged.bringup = { ...c.object(facts.bringup, "bringup"), ...f.object(board.bringup, "bringup") };
  return merged;
}

function parseInstall(f: Fields, raw: Record<string, unknown>): BoardInstall {
  f.noExtra(raw, "install", ["$comment", "openocd", "drive", "dfu", "stm32flash"]);
  const install: BoardInstall = {};
  if (raw.openocd !== undefined) install.openocd = f.array(raw.openocd, "install.openocd").map((c, i) => f.string(c, `install.openocd[${i}]`));
  if (raw.drive !== undefined) install.drive = f.string(raw.drive, "install.drive");
  if (raw.dfu !== undefined) {
    const d = f.object(raw.dfu, "install.dfu");
    f.noExtra(d, "install.dfu", ["device", "alt", "address"]);
    const device = f.string(d.device, "install.dfu.device");
    if (!/^[0-9a-f]{4}:[0-9a-f]{4}$/i.test(device)) f.fail("install.dfu.device", `must be a USB vid:pid like "0483:df11", got "${device}"`);
    install.dfu = { device, alt: f.number(d.alt ?? 0, "install.dfu.alt", false), address: f.number(d.address, "install.dfu.address", false) };
  }
  if (raw.stm32flash !== undefined) {
    const r = f.object(raw.stm32flash, "install.stm32flash");
    f.noExtra(r, "install.stm32flash", ["address"]);
    install.stm32flash = { address: f.number(r.address, "install.stm32flash.address", false) };
  }
  return install;
}

/** What the interpreter's arena takes when the board file does not say: echo needs about 2 KiB. */
export const DEFAULT_INTERP_ARENA = 4096;

function interpArena(f: { number(v: unknown, field: string, allowSuffix: boolean): number; fail(field: string, problem: string): never }, raw: unknown): number {
  if (raw === undefined) return DEFAULT_INTERP_ARENA;
  const bytes = f.number(raw, "interp_arena", true);
  if (bytes < 1024 || bytes % 8 !== 0) f.fail("interp_arena", `must be at least 1K and a multiple of 8 bytes, got ${bytes}`);
  return bytes;
}

function parseLoader(f: Fields, raw: Record<string, unknown>, memory: MemoryRegion[]): LoaderLayout {
  f.noExtra(raw, "loader", ["$comment", "medium", "bootloader_ram", "slot", "staging", "image_ram", "window_ms"]);
  const area = (field: string) => {
    const o = f.object(raw[field], `loader.${field}`);
    f.noExtra(o, `loader.${field}`, ["start", "size"]);
    const a = { start: f.number(o.start, `loader.${field}.start`, false), size: f.number(o.size, `loader.${field}.size`, true) };
    if (!memory.some((m) => a.start >= m.start && a.start + a.size <= m.start + m.size)) f.fail(`loader.${field}`, `must lie inside one of the board's memory regions, got ${hex(a.start)} + ${a.size}`);
    return a;
  };
  const layout: LoaderLayout = {
    medium: f.oneOf(raw.medium, "loader.medium", ["flash", "ram"] as const),
    bootloaderRam: area("bootloader_ram"),
    slot: area("slot"),
    staging: area("staging"),
    imageRam: area("image_ram"),
    windowMs: f.number(raw.window_ms ?? 500, "loader.window_ms", false),
  };
  const areas = [["bootloader_ram", layout.bootloaderRam], ["slot", layout.slot], ["staging", layout.staging], ["image_ram", layout.imageRam]] as const;
  for (const [i, [a, x]] of areas.entries()) {
    for (const [b, y] of areas.slice(i + 1)) if (x.start < y.start + y.size && y.start < x.start + x.size) f.fail(`loader.${b}`, `overlaps loader.${a}`);
  }
  return layout;
}

/**
 * The board as QEMU's machine has it: the same board, with the clocks the machine runs where its
 * board file says they differ from the chip's. Images for it build in their own folder.
 */
export function emulated(board: Board): Board {
  const { clockHz, deviceClocks } = board.qemu;
  if (board.emulated) return board;
  if (clockHz === undefined && Object.keys(deviceClocks).length === 0) return { ...board, emulated: true };
  const clocked = (d: Device): Device => (deviceClocks[d.name] === undefined ? d : { ...d, clockHz: deviceClocks[d.name] });
  return {
    ...board,
    emulated: true,
    buildName: `${board.name}@qemu`,
    clockHz: clockHz ?? board.clockHz,
    devices: board.devices.map(clocked),
    timebase: board.timebase && clocked(board.timebase),
  };
}

/** Folders of boards: the toolchain's, the project's (anykernel.json's boards), and installed packages' ("anykernel": { "boards": "boards" }). */
export function boardSources(project = currentProject()): Array<{ dir: string; origin: string }> {
  const sources = [{ dir: BOARDS_DIR, origin: "toolchain" }];
  if (!project) return sources;
  if (fs.existsSync(project.boards)) sources.push({ dir: project.boards, origin: "project" });
  for (const pkg of anykernelPackages(project)) {
    const folder = pkg.fields.boards;
    if (folder === undefined) continue;
    if (typeof folder !== "string" || folder === "") throw new BoardError(`${shown(pkg.manifest)}: field 'anykernel.boards' must name the package's folder of boards, like "boards"`);
    sources.push({ dir: path.join(pkg.dir, folder), origin: `package ${pkg.name}` });
  }
  return sources;
}

/** Every board by name, with where it came from; a name defined twice names both places. */
function boardIndex(): Map<string, { file: string; origin: string }> {
  const index = new Map<string, { file: string; origin: string }>();
  for (const source of boardSources()) {
    for (const name of foldersWith(source.dir, "board.json")) {
      const file = path.join(source.dir, name, "board.json");
      const clash = index.get(name);
      if (clash) throw new BoardError(`board '${name}' is defined twice: ${shown(clash.file)} (${clash.origin}) and ${shown(file)} (${source.origin}); rename one (a board may inherit the other)`);
      index.set(name, { file, origin: source.origin });
    }
  }
  return index;
}

export function boardNames(): string[] {
  return [...boardIndex().keys()].sort();
}

export function loadBoard(name: string): Board {
  const index = boardIndex();
  const entry = index.get(name);
  if (!entry) throw unknownName("board", name, [...index.keys()].sort());
  return { ...parseBoard(entry.file, fs.readFileSync(entry.file, "utf8")), origin: entry.origin };
}

export function loadAllBoards(): Board[] {
  return boardNames().map(loadBoard);
}

export function hex(n: number, width = 8): string {
  return "0x" + n.toString(16).toUpperCase().padStart(width, "0");
}

export function formatSize(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes >> 20} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes >> 10} KiB`;
  return `${bytes} B`;
}
