// anyk boot: builds the firmware if needed and runs it in qemu-system-arm on the board's machine.
import type { Command } from "../lib/command.js";
import { boardOption, ENGINE_OPTION, engineOption, OPTIMIZE_OPTION, optimizeOption, RUNTIME_OPTION, WITH_OPTION } from "../lib/options.js";
import { runtimeOption } from "../lib/runtimes.js";
import { NET_OPTIONS, networkChoice, qemuNetdev, requireNetFaction } from "../lib/net-options.js";
import { expectPositionals, optionalSeconds, optionalPort, optionalSeed, requireString, appArgument, boardArgument } from "../lib/command.js";
import { resolveApp } from "../lib/apps.js";
import { emulated, loadBoard } from "../lib/boards.js";
import { buildBootloader } from "../lib/loader/build.js";
import { UsageError, UserError } from "../lib/errors.js";
import { buildImage } from "../lib/image.js";
import { withList } from "./build.js";
import { runQemu } from "../lib/qemu.js";
import { Symbolizer, symbolizePanicLine } from "../lib/symbolize.js";

/** Passes console output through at once, except a panic line, held back until the function name is added. */
class ConsoleFilter {
  private line = "";
  private pending: Promise<void> = Promise.resolve();
  constructor(private readonly symbolizer: Symbolizer, private readonly write: (text: string) => void) {}

  push(chunk: Buffer): void {
    const text = chunk.toString("latin1");
    this.pending = this.pending.then(async () => {
      const lines = (this.line + text).split("\n");
      // The last piece has no newline yet: keep it only while it may still become a panic line.
      this.line = lines.pop()!;
      let out = "";
      for (const line of lines) out += (line.startsWith("panic: ") ? await symbolizePanicLine(line, this.symbolizer) : line) + "\n";
      if (!"panic: ".startsWith(this.line) && !this.line.startsWith("panic: ")) {
        out += this.line;
        this.line = "";
      }
      if (out) this.write(out);
    });
  }

  async end(): Promise<void> {
    await this.pending;
    if (this.line) this.write(this.line);
    this.line = "";
  }
}

/** anyk boot --bootloader: the board's resident bootloader, waiting for anyk flash on its console. */
async function bootBootloader(cmd: Command, positionals: string[], values: Record<string, string | boolean | undefined>, serial: "stdio" | "pty", timeoutMs: number | undefined): Promise<number> {
  expectPositionals(cmd, positionals, []);
  const board = emulated(loadBoard(requireString(cmd, values, "board")));
  const outputs = await buildBootloader(board, values["fault-injection"] === true, engineOption(values.engine), values.key as string | undefined);
  const result = await runQemu({
    elf: outputs.elf,
    board,
    serial,
    timeoutMs,
    monitorSocket: typeof values.monitor === "string" ? values.monitor : undefined,
    onConsole: (chunk) => process.stdout.write(chunk),
    onPty: (pty) => process.stderr.write(`anyk: console on ${pty}\n`),
    onDiagnostic: (line) => process.stderr.write(`qemu: ${line}\n`),
  });
  if (result.timedOut) throw Object.assign(new UserError(`the bootloader on ${board.name} was still running after ${values.timeout} s; QEMU stopped`), { exitCode: 124 });
  return result.exitCode ?? 1;
}

function parseGdbPort(text: string | undefined): number {
  if (text === undefined) return 1234;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`anyk boot: --gdb-port must be a TCP port 1..65535, got '${text}'`);
  return port;
}

export const bootCommand: Command = {
  name: "boot",
  summary: "build the firmware if needed and boot it in qemu-system-arm",
  args: "<app>",
  options: {
    board: boardOption("the board to boot"),
    serial: { type: "string", value: "stdio|pty", help: "console on this terminal (stdio, default) or on a pseudo-terminal whose path is printed (pty)" },
    with: WITH_OPTION,
    runtime: RUNTIME_OPTION,
    engine: ENGINE_OPTION,
    optimize: OPTIMIZE_OPTION,
    timeout: { type: "string", value: "seconds", help: "stop QEMU after this many seconds of wall time (exit code 124)" },
    trace: { type: "string", multiple: true, value: "event", help: "enable a QEMU trace event pattern such as 'pl061_*' (repeatable); its lines go to stderr" },
    ...NET_OPTIONS,
    seed: { type: "string", value: "n", help: "seed QEMU's random generator (what the nRF51 RNG gives), for repeatable runs" },
    gdb: { type: "boolean", help: "start halted and wait for a debugger (arm-none-eabi-gdb, or anyk flash --gdb) on localhost:1234" },
    "gdb-port": { type: "string", value: "port", help: "with --gdb: the TCP port of QEMU's gdbstub (default 1234)" },
    json: { type: "boolean", help: "print one JSON object at the end: exit code, console text, timings, stack and heap high-water" },
    bootloader: { type: "boolean", help: "boot the board's serial bootloader instead of an app (then anyk flash an image to it)" },
    "fault-injection": { type: "boolean", help: "with --bootloader: the test bootloader that can cut its power after N flash operations" },
    key: { type: "string", value: "key", help: "with --bootloader: a bootloader that takes only images signed with this key (anyk keygen)" },
    monitor: { type: "string", value: "socket", help: "with --bootloader: QEMU's monitor on this Unix socket (system_reset keeps RAM and flash)" },
  },
  details: [
    "The kernel's exit code becomes anyk's. A panic report names the kernel function (from kernel.names.json).",
    "Guest time counts instructions (-icount shift=0, 1 ns each) and follows the host's clock while the CPU sleeps.",
    "Input piped into anyk boot reaches the board after its first console byte (or after 1 s), as a UART drops",
    "bytes that arrive before its receiver is on.",
  ],
  async run(positionals, values) {
    const serial = (values.serial ?? "stdio") as string;
    if (serial !== "stdio" && serial !== "pty") throw new UsageError(`anyk boot: --serial must be stdio or pty, got '${serial}'`);
    const seconds = optionalSeconds(this, values, "timeout");
    const timeoutMs = seconds === undefined ? undefined : seconds * 1000;
    if (values.bootloader) return bootBootloader(this, positionals, values, serial as "stdio" | "pty", timeoutMs);
    const appSpec = appArgument(this, positionals);
    const board = emulated(loadBoard(boardArgument(this, values)));
    const app = resolveApp(appSpec);
    const network = networkChoice(this, values);
    const image = await buildImage(app, board, { firmware: true, with: withList(values.with), runtime: runtimeOption(values.runtime), engine: engineOption(values.engine), optimize: optimizeOption(values.optimize) });
    requireNetFaction(this, network, image.plan.net, app.name);
    const symbolizer = new Symbolizer(image.outputs.elf, image.outputs.names, image.outputs.wasm);
    let consoleText = "";
    const filter = new ConsoleFilter(symbolizer, (text) => {
      if (values.json) consoleText += text;
      else process.stdout.write(text);
    });
    const gdbPort = values.gdb ? parseGdbPort(values["gdb-port"] as string | undefined) : undefined;
    if (gdbPort !== undefined) process.stderr.write(`anyk: waiting for a debugger on localhost:${gdbPort}: arm-none-eabi-gdb ${image.outputs.elf} -ex 'target remote :${gdbPort}', or anyk flash <app> --board ${board.name} --gdb localhost:${gdbPort}\n`);
    const result = await runQemu({
      elf: image.outputs.elf,
      board,
      serial: serial as "stdio" | "pty",
      gdbPort,
      traceEvents: values.trace as unknown as string[] | undefined,
      seed: optionalSeed(this, values),
      // A UDP socket: QEMU takes frames on port P and sends to P + 1, where a test or tool is the rest of the network.
      nic: !network ? undefined : network.kind === "udp" ? `socket,localaddr=127.0.0.1:${network.port},udp=127.0.0.1:${network.port + 1}` : qemuNetdev(network, image.plan.net!),
      timeoutMs,
      onConsole: (chunk) => filter.push(chunk),
      onPty: (pty) => process.stderr.write(`anyk: console on ${pty}\n`),
      onDiagnostic: (line) => process.stderr.write(`qemu: ${line}\n`),
    });
    await filter.end();
    const exitCode = result.timedOut ? 124 : (result.exitCode ?? 1);
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          app: app.name,
          board: board.name,
          exit_code: exitCode,
          timed_out: result.timedOut,
          console: consoleText,
          first_byte_ms: result.firstByteMs === undefined ? null : Math.round(result.firstByteMs),
          wall_ms: Math.round(result.wallMs),
          stack_high_water: result.measurements["stack-high-water"] ?? null,
          // Images without a heap cap measure no heap: 0.
          heap_high_water: result.measurements["heap-high-water"] ?? (result.measurements["stack-high-water"] === undefined ? null : 0),
          outputs: image.outputs,
        }) + "\n",
      );
      return exitCode;
    }
    if (result.timedOut) throw Object.assign(new UserError(`${app.name} on ${board.name} was still running after ${values.timeout} s; QEMU stopped`), { exitCode: 124 });
    return exitCode;
  },
};
