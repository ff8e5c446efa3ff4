// Synchronisation on the virtual uniprocessor: the one place that knows there is one CPU.
// Interrupts never run kernel code (the platform only marks them pending), so kernel code is never
// preempted and needs no locks. What remains is re-entrancy: interrupt service must not start
// while another service is running; this guard turns that mistake into a panic.
import { panic } from "./panic";

let depth: u32 = 0;

/** Marks the start of interrupt service; panics if one is already running. */
export function enterService(): void {
  if (depth != 0) panic("sync: re-entrant interrupt service (a driver waited inside its service routine)");
  depth = 1;
}

export function leaveService(): void {
  depth = 0;
}
