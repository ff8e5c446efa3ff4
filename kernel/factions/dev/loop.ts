// The kernel's event loop, one step at a time: run due timers, wait for an interrupt or the next
// deadline, hand the interrupt to the driver that owns its line, then unmask the line.
import { ANYK_DEADLINE_NEVER, clock_monotonic, irq_unmask, wait } from "../../../abi/gen/kernel";
import { nextDeadline, runDue } from "../../base/timers";
import { enterService, leaveService } from "../../base/sync";
import { ownerOf } from "./registry";

/** Interrupts that arrived on a line no driver owns; they are unmasked and otherwise ignored. */
let spurious: u32 = 0;

export function spuriousInterrupts(): u32 {
  return spurious;
}

/** Services one interrupt line. */
export function dispatch(line: u32): void {
  const owner = ownerOf(line);
  if (owner === null) {
    spurious++;
  } else {
    enterService();
    owner.service(line);
    leaveService();
  }
  irq_unmask(line);
}

/** One turn of the loop: blocks until an interrupt, a timer, or deadline (ns); never later. */
export function step(deadline: u64 = ANYK_DEADLINE_NEVER): void {
  runDue(clock_monotonic());
  const timer = nextDeadline();
  const line = wait(timer < deadline ? timer : deadline);
  if (line >= 0) dispatch(<u32>line);
  else runDue(clock_monotonic());
}

/** Runs the loop until the clock reaches deadline (ns), servicing interrupts meanwhile. */
export function sleepUntil(deadline: u64): void {
  while (clock_monotonic() < deadline) step(deadline);
}
