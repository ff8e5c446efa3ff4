// Panic reports: one line saying what happened and in which kernel function, the same wording on
// every platform ("panic: trap: integer divide by zero in kernel/apps/x/main/f").
import type { NamesFile } from "./image.js";

/** V8's trap messages, in the words the board runtime uses for the same traps. */
const TRAP_WORDS: Array<[RegExp, string]> = [
  [/unreachable/i, "unreachable"],
  [/memory access out of bounds/i, "out-of-bounds memory access"],
  [/(divide|remainder) by zero/i, "integer divide by zero"],
  [/divide result unrepresentable/i, "integer overflow"],
  [/unrepresentable in integer range/i, "invalid conversion to integer"],
  [/function signature mismatch|null function|table index/i, "invalid indirect call"],
  [/maximum call stack/i, "call stack exhausted"],
];

export function trapWords(message: string): string {
  return TRAP_WORDS.find(([re]) => re.test(message))?.[1] ?? message;
}

export interface KernelLocation {
  index: number;
  offset: number;
}

/** The innermost wasm frame of a JS error's stack: the kernel function that was running. */
export function kernelFrame(stack: string | undefined): KernelLocation | undefined {
  const m = /wasm-function\[(\d+)\]:0x([0-9a-f]+)/.exec(stack ?? "");
  return m ? { index: Number(m[1]), offset: parseInt(m[2], 16) } : undefined;
}

export function functionName(names: NamesFile | undefined, index: number): string {
  return names?.functions[index] ?? `wasm-function[${index}]`;
}

export function panicLine(what: string, names: NamesFile | undefined, where: KernelLocation | undefined): string {
  if (!where) return `panic: ${what}`;
  return `panic: ${what} in ${functionName(names, where.index)} (wasm function ${where.index} at 0x${where.offset.toString(16)})`;
}
