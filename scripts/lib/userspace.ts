// Running a built image in Node: the userspace platform, the board's device models on the bus,
// and the panic report when the kernel traps or aborts.
import fs from "node:fs";
import { KernelExit, KernelPanic, UserspacePlatform, type ConsoleIo } from "../../platform/node/platform.js";
import { ABI_MODULE, EXIT_PANIC } from "../../abi/gen/hypercall.js";
import { GateOff, MmioBus, type MappedDevice, type MmioAccess } from "../../platform/node/devices/bus.js";
import type { Device as ModelDevice, NetworkPort } from "../../platform/node/devices/host.js";
import { runBringup } from "../../platform/node/bringup.js";
import { bringupSteps } from "./bringup.js";
import { DEVICE_MODELS } from "../../platform/node/devices/index.js";
import type { NamesFile } from "./image.js";
import type { ImagePlan } from "./plan.js";
import { UserError } from "./errors.js";
import { heapHighWater } from "./heap.js";
import { RUNTIME_FACTS } from "./runtimes.js";
import { kernelFrame, panicLine, trapWords } from "./panic.js";
import type { Engine } from "./firmware.js";
import { imageMemory } from "./firmware.js";
import { hostInterpreter } from "./interp-binary.js";
import { InterpChild } from "./interp-child.js";

export interface RunOptions {
  console: ConsoleIo;
  realtime?: boolean;
  timeoutNs?: bigint;
  /** Where the panic report goes (stderr by default). */
  report?: (line: string) => void;
  /** Device-model options for tests, such as { uartByteNs: 100000 } for a slow UART. */
  tuning?: Record<string, number>;
  /** Every register access, as it happens (anyk run --trace-mmio). */
  onMmio?: (access: MmioAccess) => void;
  /** Bring-up steps to leave out, by text in their description: what a board does without them. */
  omitSteps?: string[];
  /** Called with the platform before the kernel starts: tests use it to schedule device events. */
  onPlatform?: (platform: UserspacePlatform) => void;
  /** The network the board's Ethernet port is on (anyk run --net, --net-udp); needs realtime. */
  network?: NetworkPort & { sleep(ms: number): void };
  /** aot (the default) runs the kernel in Node's engine; interp in the host build of the board's interpreter. */
  engine?: Engine;
}

export interface RunResult {
  exitCode: number;
  /** The panic report, when the kernel panicked. */
  panic?: string;
  /** The monotonic clock when the kernel ended (ns). */
  endedAtNs: bigint;
  /** Heap bytes in use when the kernel ended (it never frees): its high-water mark. */
  heapHighWater?: number;
}

/**
 * The image's granted devices, each simulated by its model on the MMIO bus, and the devices only
 * the platform's bring-up touches (clock controllers, GPIO ports, the console), which the kernel
 * may not. Every model is as strict as the chip or stricter: gates are checked on each access.
 */
export function grantedBus(plan: ImagePlan, platform: UserspacePlatform, bus: MmioBus, options: RunOptions): void {
  const { board } = plan;
  const host = {
    setIrqLevel: (line: number, level: boolean) => platform.setIrqLevel(line, level),
    get now() {
      return platform.now;
    },
    schedule: (at: bigint, run: () => void) => platform.schedule(at, run),
    addInputSink: (pump: () => number) => platform.addInputSink(pump),
    console: options.console,
    tuning: options.tuning ?? {},
    terminalBaud: board.baud,
    network: options.network,
    routed(device: ModelDevice, role: string): boolean {
      const wire = board.pins[device.name]?.[role];
      if (!wire) return board.pinmux === "none";
      const own = bus.named(device.name)?.model.selectedPin;
      if (own) return own(role) === wire.pin;
      const mode = bus.named(wire.port)?.model.pinMode?.(wire.pin);
      return mode !== undefined && mode.alternate && (device.af === undefined || mode.af === device.af);
    },
  };
  const steps = omitted(bringupSteps(board, plan.grants), options.omitSteps ?? [], board.name);
  const all = [...board.devices, ...(board.timebase ? [board.timebase] : [])];
  const touched = (d: (typeof all)[number]) =>
    d.name === board.console || Object.values(board.pins).some((roles) => Object.values(roles).some((p) => p.port === d.name)) ||
    steps.some((s) => s.reg >= d.base && s.reg < d.base + d.size) || all.some((x) => x.gate && x.gate.reg >= d.base && x.gate.reg < d.base + d.size);
  for (const device of all) {
    const granted = plan.grants.includes(device);
    if (!granted && !touched(device)) continue;
    const factory = DEVICE_MODELS[device.compatible];
    if (!factory) {
      if (!granted) continue;
      throw new UserError(`board ${board.name}: device ${device.name} is '${device.compatible}', which has no userspace model (models: ${Object.keys(DEVICE_MODELS).join(", ")})`);
    }
    // A model only the platform uses (the console UART of an image without a UART driver) must not take console input.
    const model = factory(device, granted ? host : Object.assign(Object.create(host) as typeof host, { addInputSink: () => {} }));
    bus.map({ name: device.name, base: device.base, size: device.size, model, platformOnly: !granted, gate: device.gate, label: `${device.name} (${device.compatible})` });
  }
  runBringup(bus, steps);
}

function omitted<S extends { what: string }>(steps: S[], texts: string[], boardName: string): S[] {
  for (const text of texts) {
    if (!steps.some((s) => s.what.includes(text))) throw new UserError(`--omit-step '${text}' matches no bring-up step of this image on ${boardName}; its steps: ${steps.map((s) => s.what).join(" | ")}`);
  }
  return steps.filter((s) => !texts.some((t) => s.what.includes(t)));
}

/** The platform's console writes, through the console UART's model: its gate, pins and baud apply. */
function consoleTransmit(bus: MmioBus, consoleName: string): ((bytes: Uint8Array) => void) | undefined {
  const mapped: MappedDevice | undefined = bus.named(consoleName);
  const transmit = mapped?.model.transmit;
  if (!mapped || !transmit) return undefined;
  return (bytes) => {
    if (!bus.gateOpen(mapped)) throw new KernelPanic("gate", new GateOff(mapped, mapped.base).message);
    transmit(bytes);
  };
}

export async function runImage(image: { wasm: string; names: string; plan: ImagePlan }, options: RunOptions): Promise<RunResult> {
  const { wasm: wasmFile, names: namesFile, plan } = image;
  const names = fs.existsSync(namesFile) ? (JSON.parse(fs.readFileSync(namesFile, "utf8")) as NamesFile) : undefined;
  const bus = new MmioBus();
  bus.onAccess = options.onMmio;
  const irqLines = new Set(plan.grants.flatMap((d) => Object.values(d.irqs)));
  const platform = new UserspacePlatform({ bus, console: options.console, irqLines, realtime: options.realtime, timeoutNs: options.timeoutNs, network: options.network });
  options.onPlatform?.(platform);
  const report = options.report ?? ((line: string) => process.stderr.write(line + "\n"));

  let heapUsed = (): number | undefined => undefined;
  const finish = (exitCode: number, panic?: string): RunResult => {
    if (panic) report(panic);
    return { exitCode, panic, endedAtNs: platform.now, heapHighWater: heapUsed() };
  };
  let child: InterpChild | undefined;
  try {
    grantedBus(plan, platform, bus, options);
    platform.transmit = consoleTransmit(bus, plan.board.console);
    if (options.engine === "interp") {
      const memory = await imageMemory(plan, fs.readFileSync(wasmFile));
      child = new InterpChild(await hostInterpreter(), wasmFile, memory.linearBytes, plan.board.interpArena);
      return runInterpreted(child, plan, memory.staticEnd, platform, names, finish, (use) => (heapUsed = use));
    }
    const module = await WebAssembly.compile(fs.readFileSync(wasmFile));
    const instance = await WebAssembly.instantiate(module, platform.imports(ABI_MODULE));
    const memory = instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) platform.memory = memory;
    const staticEnd = instance.exports.anyk_static_end;
    if (memory instanceof WebAssembly.Memory && typeof staticEnd === "function") {
      heapUsed = () => (plan.heapCap > 0 && RUNTIME_FACTS[plan.runtime].bumps ? heapHighWater(new Uint8Array(memory.buffer), (staticEnd() as number) >>> 0) : 0);
    }
    const entry = instance.exports.anyk_main;
    if (typeof entry !== "function") return finish(EXIT_PANIC, "panic: image: the image exports no anyk_main function");
    entry();
    return finish(EXIT_PANIC, MAIN_RETURNED);
  } catch (err) {
    if (err instanceof KernelExit) return finish(err.code);
    // Under the interpreter the kernel's stack is the child's: it says where each hypercall was made.
    const where = child ? child.lastCall : kernelFrame((err as Error).stack);
    if (err instanceof KernelPanic) return finish(err.exitCode, panicLine(`${err.kind}: ${err.detail}`, names, where));
    if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) {
      return finish(EXIT_PANIC, panicLine(`trap: ${trapWords(err.message)}`, names, where));
    }
    throw err;
  } finally {
    child?.close();
  }
}

const MAIN_RETURNED = "panic: return: anyk_main returned without calling exit";

/** The kernel in the host interpreter: the board's linear memory size and arena, Node's platform and models. */
function runInterpreted(
  child: InterpChild,
  plan: ImagePlan,
  staticEnd: number,
  platform: UserspacePlatform,
  names: NamesFile | undefined,
  finish: (exitCode: number, panic?: string) => RunResult,
  setHeapUsed: (use: () => number | undefined) => void,
): RunResult {
  platform.memory = { buffer: child.mirror } as WebAssembly.Memory;
  setHeapUsed(() => {
    if (!(plan.heapCap > 0 && RUNTIME_FACTS[plan.runtime].bumps)) return 0;
    child.fetchMemory();
    return heapHighWater(new Uint8Array(child.mirror), staticEnd);
  });
  // console_read writes into the kernel's memory: those bytes go back to the child.
  const end = child.serve(platform, (call, args, result) => (call === "console_read" && typeof result === "number" && result > 0 ? { address: Number(args[0]) >>> 0, length: result } : undefined));
  if (end.kind === "refused") return finish(EXIT_PANIC, `panic: image: refused: ${end.reason} (module offset 0x${end.offset.toString(16)})`);
  if (end.kind === "died") return finish(EXIT_PANIC, `panic: interp: the host interpreter died of signal ${end.signal}`);
  if (end.returned) return finish(EXIT_PANIC, MAIN_RETURNED);
  return finish(EXIT_PANIC, panicLine(`trap: ${end.words}`, names, { index: end.func, offset: end.offset }));
}

