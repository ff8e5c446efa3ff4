// Device binding: which driver owns which interrupt line, and the device of each class the build
// bound for this image. The generated entry fills it in before the app runs.
import { irq_unmask } from "../../../abi/gen/kernel";
import { Device } from "../../hil/device";
import { Uart } from "../../hil/uart";
import { Gpio } from "../../hil/gpio";
import { Timer } from "../../hil/timer";
import { Rng } from "../../hil/rng";
import { Netif } from "../../hil/netif";
import { panic } from "../../base/panic";

/** Interrupt lines one image can own; more than any board here has devices for. */
const MAX_LINES: i32 = 8;
let lineCount: i32 = 0;

// Static tables, not heap arrays: the dev faction itself allocates nothing. Reserved inside functions,
// so an image that only imports this module (hello, through the app API) does not carry them.
function lineTable(): usize {
  return memory.data(MAX_LINES * 4);
}
function ownerTable(): usize {
  return memory.data(MAX_LINES * 4);
}

/** Gives interrupt line `line` to device and unmasks it. */
export function attach(line: u32, device: Device): void {
  if (lineCount == MAX_LINES) panic("dev: too many interrupt lines attached");
  store<u32>(lineTable() + (lineCount << 2), line);
  store<usize>(ownerTable() + (lineCount << 2), changetype<usize>(device));
  lineCount++;
  irq_unmask(line);
}

/** The device that owns line, or null when none does (a spurious interrupt). */
export function ownerOf(line: u32): Device | null {
  for (let i = 0; i < lineCount; i++) {
    if (load<u32>(lineTable() + (i << 2)) == line) return changetype<Device>(load<usize>(ownerTable() + (i << 2)));
  }
  return null;
}

let boundUart: Uart | null = null;
let boundGpio: Gpio | null = null;
let boundTimer: Timer | null = null;
let boundRng: Rng | null = null;
let boundNetif: Netif | null = null;

export function bindUart(d: Uart): void {
  boundUart = d;
}
export function bindGpio(d: Gpio): void {
  boundGpio = d;
}
export function bindTimer(d: Timer): void {
  boundTimer = d;
}
export function bindRng(d: Rng): void {
  boundRng = d;
}
export function bindNetif(d: Netif): void {
  boundNetif = d;
}

/** True when the build bound a UART for this image. */
export function hasUart(): bool {
  return boundUart !== null;
}

/** The image's UART; panics if the app did not require device:uart. */
export function uart(): Uart {
  if (boundUart === null) panic("dev: no uart bound; add \"device:uart\" to the app's requires");
  return boundUart!;
}
export function gpio(): Gpio {
  if (boundGpio === null) panic("dev: no gpio bound; add \"device:gpio\" to the app's requires");
  return boundGpio!;
}
export function timer(): Timer {
  if (boundTimer === null) panic("dev: no timer bound; add \"device:timer\" to the app's requires");
  return boundTimer!;
}
export function rng(): Rng {
  if (boundRng === null) panic("dev: no rng bound; add \"device:rng\" to the app's requires");
  return boundRng!;
}
export function netif(): Netif {
  if (boundNetif === null) panic("dev: no netif bound; add \"device:netif\" to the app's requires");
  return boundNetif!;
}
