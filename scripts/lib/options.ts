// The options several subcommands share, defined once; each command says only what the option
// means to it.
import type { OptionSpec } from "./command.js";
import { UsageError } from "./errors.js";
import { ENGINES, type Engine } from "./firmware.js";
import { OPTIMIZE_CHOICES, type Optimize } from "./components.js";

/** --board / -b: the board to build for, boot, simulate or check against. */
export function boardOption(purpose: string): OptionSpec {
  return { type: "string", short: "b", value: "name", help: `${purpose} (see 'anyk boards')` };
}

/** --with: components added beyond what the app requires. */
export const WITH_OPTION: OptionSpec = { type: "string", value: "c1,c2", help: "add components beyond what the app requires (see 'anyk components')" };

/** --port / -p: a serial port. */
export function portOption(what: string): OptionSpec {
  return { type: "string", short: "p", value: "path", help: what };
}

/** --baud: the serial line's rate. */
export const BAUD_OPTION: OptionSpec = { type: "string", value: "n", help: "bits per second (default 115200)" };


/** --runtime: the kernel heap's runtime, over anykernel.json's. */
export const RUNTIME_OPTION: OptionSpec = { type: "string", value: "name", help: "the kernel heap's runtime: bump (default), minimal or incremental (AssemblyScript's TLSF, without or with its garbage collector)" };

/** --engine: how the kernel runs, on a board or in Node. */
export const ENGINE_OPTION: OptionSpec = { type: "string", value: "name", help: "how the kernel runs: aot (translated to C ahead of time; Node's engine under anyk run) or interp (the interpreter in platform/interp runs the .wasm)" };

export function engineOption(value: unknown): Engine {
  if (value === undefined) return "aot";
  if (!ENGINES.includes(value as Engine)) throw new UsageError(`--engine must be one of ${ENGINES.join(", ")}, got '${String(value)}'`);
  return value as Engine;
}

/** --optimize: what the kernel's C is compiled for, over the app's component.json. */
export const OPTIMIZE_OPTION: OptionSpec = { type: "string", value: "goal", help: "compile the kernel's C for size (-Oz, the default) or speed (-O2 with short loops unrolled: C's speed, a larger image); overrides the app's \"optimize\"" };

export function optimizeOption(value: unknown): Optimize | undefined {
  if (value === undefined) return undefined;
  if (!OPTIMIZE_CHOICES.includes(value as Optimize)) throw new UsageError(`--optimize must be one of ${OPTIMIZE_CHOICES.join(", ")}, got '${String(value)}'`);
  return value as Optimize;
}

/** --sign: the private key an image is signed with (anyk keygen). */
export const SIGN_OPTION: OptionSpec = { type: "string", value: "key", help: "sign the image with this private key (anyk keygen), for a bootloader built with --key" };
