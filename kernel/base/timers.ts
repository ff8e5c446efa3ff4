// Software timers: a deadline queue on the monotonic clock, run from the kernel's event loop.
// Tasks are linked through their own fields, so the queue allocates nothing.
import { ANYK_DEADLINE_NEVER } from "../../abi/gen/kernel";

export abstract class TimerTask {
  deadline: u64 = 0;
  next: TimerTask | null = null;
  queued: bool = false;
  /** Runs once the clock has reached deadline; may schedule the task again. */
  abstract fire(now: u64): void;
}

let first: TimerTask | null = null;

/** Queues task to fire at deadline (ns since boot), replacing an earlier schedule of it. */
export function schedule(task: TimerTask, deadline: u64): void {
  cancel(task);
  task.deadline = deadline;
  task.queued = true;
  if (first === null || deadline < first!.deadline) {
    task.next = first;
    first = task;
    return;
  }
  let at = first!;
  while (at.next !== null && at.next!.deadline <= deadline) at = at.next!;
  task.next = at.next;
  at.next = task;
}

export function cancel(task: TimerTask): void {
  if (!task.queued) return;
  task.queued = false;
  if (first === task) {
    first = task.next;
  } else {
    let at = first;
    while (at !== null && at.next !== task) at = at.next;
    if (at !== null) at.next = task.next;
  }
  task.next = null;
}

/** The earliest deadline queued, or ANYK_DEADLINE_NEVER. */
export function nextDeadline(): u64 {
  return first === null ? ANYK_DEADLINE_NEVER : first!.deadline;
}

/** Fires every task whose deadline is at or before now, earliest first. */
export function runDue(now: u64): void {
  while (first !== null && first!.deadline <= now) {
    const task = first!;
    first = task.next;
    task.next = null;
    task.queued = false;
    task.fire(now);
  }
}
