// The kernel heap's runtime, per project (anykernel.json "runtime") or per build (--runtime):
// the kernel's bump allocator, or AssemblyScript's TLSF allocator without (minimal) or with
// (incremental) its garbage collector. What each costs beyond the components' heap budgets.
import { UserError } from "./errors.js";

export const RUNTIMES = ["bump", "minimal", "incremental"] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** TLSF's root (rt/tlsf.ts in AssemblyScript 0.28, 32-bit): its bitmaps and free-list heads, 1,572 bytes, 16-byte aligned. */
const TLSF_ROOT_BYTES = 1600;

/**
 * The incremental collector's shadow stack, where compiled code keeps the references it holds in
 * locals so the collector finds them; AssemblyScript's default of 32 KiB is two micro:bits' RAM.
 */
export const SHADOW_STACK_BYTES = 1024;

export interface RuntimeFacts {
  /** The name AssemblyScript's --runtime takes (the bump allocator stands in for its stub). */
  asc: string;
  /** Heap bytes the runtime takes for itself, added to the image's heap cap. */
  heapOverhead: number;
  /** Whether blocks are only ever appended (the platforms then measure the heap's high-water). */
  bumps: boolean;
}

export const RUNTIME_FACTS: Record<Runtime, RuntimeFacts> = {
  bump: { asc: "stub", heapOverhead: 0, bumps: true },
  minimal: { asc: "minimal", heapOverhead: TLSF_ROOT_BYTES, bumps: false },
  incremental: { asc: "incremental", heapOverhead: TLSF_ROOT_BYTES, bumps: false },
};

export function isRuntime(value: unknown): value is Runtime {
  return typeof value === "string" && (RUNTIMES as readonly string[]).includes(value);
}

/** What a runtime field or option must be, for error messages. */
export const RUNTIME_CHOICES = `must be one of ${RUNTIMES.join(", ")}`;

/** --runtime's value, when given. */
export function runtimeOption(value: unknown): Runtime | undefined {
  if (value === undefined || isRuntime(value)) return value;
  throw new UserError(`--runtime ${RUNTIME_CHOICES}, got ${JSON.stringify(value)}`);
}
