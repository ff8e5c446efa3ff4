// anyk run: builds an app if needed and runs it in Node on the userspace platform.
import type { Command } from "../lib/command.js";
import { boardOption, ENGINE_OPTION, engineOption, RUNTIME_OPTION, WITH_OPTION } from "../lib/options.js";
import { runtimeOption } from "../lib/runtimes.js";
import { optionalSeconds, optionalSeed, appArgument, boardArgument } from "../lib/command.js";
import { NET_OPTIONS, networkChoice, qemuNetdev, requireNetFaction, type NetworkChoice } from "../lib/net-options.js";
import type { NetSettings } from "../lib/net-settings.js";
import { freeUdpPort, startNetworkHub } from "../lib/network-hub.js";
import { FrameBridge } from "../../platform/node/net-bridge.js";
import { resolveApp } from "../lib/apps.js";
import { loadBoard } from "../lib/boards.js";
import { buildImage } from "../lib/image.js";
import { withList } from "./build.js";
import { runImage } from "../lib/userspace.js";
import { TerminalConsole } from "../../platform/node/console-io.js";
import { UsageError } from "../lib/errors.js";
import { hex32 } from "../../platform/node/devices/bus.js";
import { writeFileAtomic } from "../lib/atomic.js";

const TUNABLE = ["uartByteNs"];

/** --tune key=value options as numbers, or a usage error naming the bad one and what is valid. */
function parseTuning(pairs: string[] = []): Record<string, number> {
  const tuning: Record<string, number> = {};
  for (const pair of pairs) {
    const [key, value] = pair.split("=");
    const n = Number(value);
    if (!TUNABLE.includes(key) || value === undefined || !Number.isInteger(n) || n < 0) {
      throw new UsageError(`anyk run: --tune '${pair}' is not valid; use key=<non-negative integer> with key one of: ${TUNABLE.join(", ")}`);
    }
    tuning[key] = n;
  }
  return tuning;
}

/** The network the options ask for: the bridge the NIC model uses, and what to close after. */
async function openNetwork(choice: NetworkChoice | undefined, settings: NetSettings | undefined): Promise<{ bridge: FrameBridge; close(): void } | undefined> {
  if (!choice || !settings) return undefined;
  if (choice.kind === "udp") {
    const bridge = await FrameBridge.open(choice.port, choice.port + 1);
    return { bridge, close: () => void bridge.close() };
  }
  const hubPort = await freeUdpPort();
  const bridge = await FrameBridge.open(0, hubPort);
  const hub = await startNetworkHub(qemuNetdev(choice, settings), bridge.port, hubPort);
  return {
    bridge,
    close: () => {
      hub.stop();
      void bridge.close();
    },
  };
}

const seedTuning = (seed: number | undefined): Record<string, number> => (seed === undefined ? {} : { rngSeed: seed });

export const runCommand: Command = {
  name: "run",
  summary: "run an app in Node on the userspace platform (builds it if needed)",
  args: "<app>",
  options: {
    board: boardOption("the board whose devices are simulated"),
    realtime: { type: "boolean", help: "follow the host's clock and really sleep in wait (default: virtual time)" },
    with: WITH_OPTION,
    runtime: RUNTIME_OPTION,
    engine: ENGINE_OPTION,
    tune: { type: "string", multiple: true, value: "key=value", help: "a simulated-device option, e.g. uartByteNs=86806 for a 115200-baud line (repeatable)" },
    timeout: { type: "string", value: "seconds", help: "panic when the kernel runs longer than this (monotonic time)" },
    seed: { type: "string", value: "n", help: "seed the simulated random generator (the nRF51 RNG), for repeatable runs" },
    "trace-mmio": { type: "string", value: "file", help: "write every register access (bring-up's and the kernel's) to file, one JSON object a line" },
    "omit-step": { type: "string", multiple: true, value: "text", help: "run without the bring-up steps whose description contains text, to see what a board does without them (repeatable)" },
    ...NET_OPTIONS,
  },
  details: [
    "The console is this terminal: kernel output goes to stdout, stdin feeds console_read.",
    "The exit code is the kernel's; a panic prints a report to stderr and exits with 101.",
    "The device models are stricter than the chips: a device whose clock gate is off faults, a UART whose",
    "pins are not routed sends nothing, and one more than 2 % off the board's baud sends garbage.",
    "With --net, --net-udp or --net-tap time is real (TCP's timers face a real peer) and the run ends with the",
    "kernel, its --timeout, or Ctrl-C. --net and --net-tap run QEMU with no guest CPU as the network's host side.",
  ],
  async run(positionals, values) {
    const appSpec = appArgument(this, positionals);
    const board = loadBoard(boardArgument(this, values));
    const app = resolveApp(appSpec);
    const seconds = optionalSeconds(this, values, "timeout");
    const timeoutNs = seconds === undefined ? undefined : BigInt(Math.round(seconds * 1e9));
    const choice = networkChoice(this, values);
    const image = await buildImage(app, board, { with: withList(values.with), runtime: runtimeOption(values.runtime) });
    requireNetFaction(this, choice, image.plan.net, app.name);
    const network = await openNetwork(choice, image.plan.net);
    const traceFile = values["trace-mmio"] as string | undefined;
    const trace: string[] = [];
    const result = await runImage({ wasm: image.outputs.wasm, names: image.outputs.names, plan: image.plan }, {
      onMmio: traceFile ? (a) => trace.push(JSON.stringify({ op: a.write ? "w" : "r", address: hex32(a.address), width: a.width, value: hex32(a.value), by: a.platform ? "bring-up" : "kernel" })) : undefined,
      console: new TerminalConsole(),
      realtime: values.realtime === true || network !== undefined,
      network: network?.bridge,
      timeoutNs,
      tuning: { ...parseTuning(values.tune as unknown as string[] | undefined), ...seedTuning(optionalSeed(this, values)) },
      omitSteps: values["omit-step"] as unknown as string[] | undefined,
      engine: engineOption(values.engine),
    });
    network?.close();
    if (traceFile) writeFileAtomic(traceFile, trace.join("\n") + (trace.length ? "\n" : ""));
    return result.exitCode;
  },
};
