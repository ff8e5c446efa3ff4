// Bring-up as data: the register steps a chip needs before a device works (start a clock, set the
// device's clock gate, route its pins, program its baud), computed from the board file for the
// console and the image's bound devices. Both platforms run the same list: the Cortex-M stub from
// anyk_board.h before anything else, the Node platform on its models before the kernel starts.
import type { Board, Device, RawStep } from "./boards.js";
import { UserError } from "./errors.js";
import { hex } from "./boards.js";

export interface Step extends RawStep {
  /** The device the step is for ("chip" for the chip's own clock). */
  device: string;
  kind: "clock" | "gate" | "pin" | "baud" | "board";
  /** "console" for the chip's clock and the console, which a bootloader has already run; "devices" for the rest. */
  phase: "console" | "devices";
}

const ALL = 0xffffffff;

type Unphased = Omit<Step, "phase">;
const rmw = (reg: number, mask: number, value: number, device: string, kind: Step["kind"], what: string): Unphased => ({ reg, mask: mask >>> 0, value: value >>> 0, op: "set", what, device, kind });
const write = (reg: number, value: number, device: string, what: string): Unphased => ({ reg, mask: ALL, value: value >>> 0, op: "set", what, device, kind: "baud" });

/**
 * The baud-rate registers of each UART, from its manual. A driver enables its UART itself; these
 * are what it would otherwise have to know of the board (the clock and the rate).
 */
const BAUD: Record<string, (d: Device, baud: number) => Unphased[]> = {
  // PL011 TRM 3.3.6/3.3.7: divisor = clock / (16 x baud) as IBRD + FBRD/64; latched by the next LCR_H write.
  "arm,pl011": (d, baud) => {
    const divisor64 = Math.round((d.clockHz * 4) / baud);
    return [write(d.base + 0x24, divisor64 >> 6, d.name, `${d.name} IBRD: ${baud} baud from ${d.clockHz} Hz`), write(d.base + 0x28, divisor64 & 63, d.name, `${d.name} FBRD`)];
  },
  // RM0090 30.6.3: BRR holds clock / baud with 4 fraction bits when OVER8 = 0, i.e. round(clock / baud).
  "st,stm32-usart": (d, baud) => [write(d.base + 0x08, Math.round(d.clockHz / baud), d.name, `${d.name} BRR: ${baud} baud from ${d.clockHz} Hz`)],
  // nRF51 RM 29.9.11: BAUDRATE = baud x 2^32 / 16 MHz, in steps of 0x1000.
  "nordic,nrf51-uart": (d, baud) => [write(d.base + 0x524, Math.round((baud * 2 ** 32) / d.clockHz / 0x1000) * 0x1000, d.name, `${d.name} BAUDRATE: ${baud} baud`)],
  // CMSDK TRM, APB UART: BAUDDIV = clock / baud, 16 at least.
  "arm,cmsdk-apb-uart": (d, baud) => [write(d.base + 0x10, Math.floor(d.clockHz / baud), d.name, `${d.name} BAUDDIV: ${baud} baud from ${d.clockHz} Hz`)],
};

/** Whether the device is a UART whose baud bring-up knows. */
function isUart(device: Device): boolean {
  return device.compatible in BAUD;
}

function deviceNamed(board: Board, name: string): Device {
  const found = board.devices.find((d) => d.name === name) ?? (board.timebase?.name === name ? board.timebase : undefined);
  if (!found) throw new UserError(`${board.file}: no device named "${name}"`);
  return found;
}

function gateStep(device: Device): Unphased[] {
  if (!device.gate) return [];
  return [rmw(device.gate.reg, 1 << device.gate.bit, 1 << device.gate.bit, device.name, "gate", `${device.name} clock gate: bit ${device.gate.bit} of ${hex(device.gate.reg)}`)];
}

/** The steps that route one signal of a device to a pin, by the chip's scheme. */
function pinSteps(board: Board, device: Device, role: string, port: Device, pin: number): Unphased[] {
  const signal = `${device.name} ${role} on ${port.name} pin ${pin}`;
  switch (board.pinmux) {
    case "stellaris":
      // LM3S6965 datasheet, GPIO: AFSEL hands the pin to the peripheral, DEN enables its digital buffer.
      return [...gateStep(port), rmw(port.base + 0x420, 1 << pin, 1 << pin, device.name, "pin", `${signal}: GPIOAFSEL`), rmw(port.base + 0x51c, 1 << pin, 1 << pin, device.name, "pin", `${signal}: GPIODEN`)];
    case "stm32": {
      // RM0090 8.4.1, 8.4.9/8.4.10: MODER = 0b10 (alternate function), AFRL/AFRH = the function number.
      if (device.af === undefined) throw new UserError(`${board.file}: device ${device.name} has pins but no "af" (its alternate-function number) in the chip description`);
      const afr = port.base + (pin < 8 ? 0x20 : 0x24);
      const shift = (pin % 8) * 4;
      return [...gateStep(port), rmw(port.base, 3 << (pin * 2), 2 << (pin * 2), device.name, "pin", `${signal}: MODER alternate`), rmw(afr, 0xf << shift, device.af << shift, device.name, "pin", `${signal}: AF${device.af}`)];
    }
    case "nrf51": {
      const offset = device.psel?.[role];
      if (offset === undefined) throw new UserError(`${board.file}: pins.${device.name}.${role}: ${device.name} has no pin-select register for "${role}" (its psel: ${Object.keys(device.psel ?? {}).join(", ") || "none"})`);
      return [{ ...write(device.base + offset, pin, device.name, `${signal}: PSEL`), kind: "pin" }];
    }
    case "none":
      throw new UserError(`${board.file}: pins.${device.name}: the chip has no pin multiplexing ("pinmux": "none"), so a device's pins cannot be set`);
  }
}

/** Steps for an LED pin of a GPIO device: the digital buffer on, where the chip has one. */
function ledSteps(board: Board, port: Device, pin: number): Unphased[] {
  if (board.pinmux !== "stellaris") return [];
  return [rmw(port.base + 0x51c, 1 << pin, 1 << pin, port.name, "pin", `LED on ${port.name} pin ${pin}: GPIODEN`)];
}

/** Everything a device needs before its registers are used: its gate, its pins, its baud, the board's own steps. */
function deviceSteps(board: Board, device: Device): Unphased[] {
  const steps = [...gateStep(device)];
  for (const [role, ref] of Object.entries(board.pins[device.name] ?? {})) steps.push(...pinSteps(board, device, role, deviceNamed(board, ref.port), ref.pin));
  for (const led of board.leds.filter((l) => l.device === device.name)) steps.push(...ledSteps(board, device, led.pin));
  if (isUart(device)) steps.push(...BAUD[device.compatible](device, board.baud));
  for (const raw of board.bringup[device.name] ?? []) steps.push({ ...raw, device: device.name, kind: "board" });
  return steps;
}

/**
 * The bring-up of the console and the given devices, in order: the chip's clock, then each device.
 * Read-modify-writes of one register merge into its first of the same phase (a gate register
 * serves many devices), and a step already taken is not repeated.
 */
export function bringupSteps(board: Board, devices: Device[]): Step[] {
  const consoleDevice = deviceNamed(board, board.console);
  const wanted = [consoleDevice, ...devices.filter((d) => d !== consoleDevice)];
  const steps: Step[] = board.clockBringup.map((raw) => ({ ...raw, device: "chip", kind: "clock", phase: "console" }));
  for (const device of wanted) {
    const phase = device === consoleDevice ? "console" : "devices";
    for (const unphased of deviceSteps(board, device)) {
      const step: Step = { ...unphased, phase };
      const done = steps.find((s) => s.reg === step.reg && s.mask === step.mask && s.value === step.value && s.op === step.op);
      if (done) continue;
      const same = steps.find((s) => s.phase === phase && s.reg === step.reg && s.op === "set" && step.op === "set" && s.mask !== ALL && step.mask !== ALL && (s.kind === "gate" || s.kind === "pin") && s.kind === step.kind);
      if (!same) steps.push(step);
      else {
        if ((same.mask & step.mask) !== 0 && ((same.value ^ step.value) & same.mask & step.mask) !== 0) throw new UserError(`${board.file}: bring-up of ${step.device} (${step.what}) contradicts ${same.device} (${same.what}) in ${hex(step.reg)}`);
        same.mask = (same.mask | step.mask) >>> 0;
        same.value = (same.value | step.value) >>> 0;
        same.what += `; ${step.what}`;
      }
    }
  }
  return steps;
}

/** anyk_board.h's ANYK_BRINGUP: one ANYK_STEP(index, SET, WAIT or DELAY, address, mask, value) per step, for bringup.c to expand. */
export function bringupDefines(steps: Step[]): string[] {
  const rows = steps.map((s, i) => `  ANYK_STEP(${i}, ${s.op.toUpperCase()}, ${hex(s.reg)}u, ${hex(s.mask)}u, ${hex(s.value)}u) /* ${s.what.replace(/\*\//g, "* /")} */`);
  return [
    `/* Bring-up (scripts/lib/bringup.ts from the board file): run in order before the console and the kernel start. */`,
    `/* The first steps are the chip's clock and the console's, which a loader-mode image finds done. */`,
    `#define ANYK_BRINGUP_CONSOLE_STEPS ${steps.filter((s) => s.phase === "console").length}u`,
    `#define ANYK_BRINGUP \\`,
    ...rows.map((r) => r + " \\"),
    ``,
  ];
}
