// The Node platform's side of bring-up: runs the image's register steps (abi-shaped data from the
// board file, the same list the Cortex-M stub runs) on the device models before the kernel starts.
import { KernelPanic } from "./platform.js";
import { GateOff, hex32, type MmioBus } from "./devices/bus.js";

export interface BringupStep {
  reg: number;
  mask: number;
  value: number;
  op: "set" | "wait" | "delay";
  what: string;
}

/** Polls a waiting step this many times, as the stub does, before reporting it. */
const WAIT_POLLS = 1000;

export function runBringup(bus: MmioBus, steps: readonly BringupStep[]): void {
  try {
    for (const step of steps) {
      // A delay lets a crystal settle on a chip; the models' clocks need no time.
      if (step.op === "delay") continue;
      if (step.op === "wait") {
        let polls = WAIT_POLLS;
        while (((bus.read(step.reg, 32, true) & step.mask) >>> 0) !== step.value) {
          if (--polls === 0) throw new KernelPanic("bring-up", `register ${hex32(step.reg)} not ready (${step.what})`);
        }
      } else {
        const old = step.mask === 0xffffffff ? 0 : bus.read(step.reg, 32, true);
        bus.write(step.reg, ((old & ~step.mask) | step.value) >>> 0, 32, true);
      }
    }
  } catch (err) {
    if (err instanceof GateOff) throw new KernelPanic("gate", err.message);
    throw err;
  }
}
