// The host's side of `anyk run --net` and `--net-tap`: QEMU's user network (slirp, with its host
// port forwards) or a TAP device, run without a guest (machine "none"): its hub joins that network
// to a UDP socket netdev that the userspace bridge talks to, one frame per datagram. So `anyk run`
// and `anyk boot` put a board on the same network, through the same host side.
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { canSetDeathSignal } from "./qemu.js";
import { hasTool, missingTool } from "./toolchain.js";
import { UserError } from "./errors.js";

export interface NetworkHub {
  /** Where the hub takes frames (127.0.0.1). */
  port: number;
  stop(): void;
}

/** A UDP port on 127.0.0.1 that nobody holds now. */
export function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Whether something holds UDP port on 127.0.0.1. */
function held(port: number): Promise<boolean> {
  const socket = dgram.createSocket("udp4");
  return new Promise((resolve) => {
    socket.once("error", () => resolve(true));
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(false)));
  });
}

/** Starts the hub: the network of netdev (QEMU's options, net-options.ts), taking frames on port and sending them to bridgePort. */
export async function startNetworkHub(netdev: string, bridgePort: number, port: number): Promise<NetworkHub> {
  if (!hasTool("qemu-system-arm")) throw missingTool("qemu-system-arm");
  // The socket netdev comes after the network, so once its port is taken the forwards are set up too.
  const args = ["-M", "none", "-nodefaults", "-display", "none", "-net", netdev, "-net", `socket,localaddr=127.0.0.1:${port},udp=127.0.0.1:${bridgePort}`];
  const [command, commandArgs] = canSetDeathSignal() ? ["setpriv", ["--pdeathsig", "KILL", "--", "qemu-system-arm", ...args]] : ["qemu-system-arm", args];
  const child: ChildProcess = spawn(command, commandArgs, { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  child.stderr!.on("data", (d) => (errors += d));
  const deadline = Date.now() + 10_000;
  while (!(await held(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      const said = errors.split("\n").filter((l) => l && !l.includes("with no nics")).join("; ");
      throw new UserError(`QEMU's network (${netdev.split(",")[0]}) did not start${said ? `: ${said}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port, stop: () => child.kill() };
}
