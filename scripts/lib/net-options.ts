// The network options anyk boot and anyk run share: which network the board's Ethernet port is on.
//   --net FORWARDS   QEMU's user network (slirp), host ports forwarded to the board (net-forwards.ts)
//   --net-udp PORT   frames as UDP datagrams on 127.0.0.1: taken on PORT, sent to PORT + 1
//   --net-tap IF     a TAP device of the host's (made beforehand: ip tuntap add IF mode tap), so the
//                    host's own TCP/IP stack and tools (ping, curl) reach the board directly
import type { Command, OptionSpec } from "./command.js";
import { optionalPort } from "./command.js";
import { UsageError } from "./errors.js";
import { parseForwards, userNetOptions, type Forward } from "./net-forwards.js";
import type { NetSettings } from "./net-settings.js";

export type NetworkChoice = { kind: "user"; forwards: Forward[] } | { kind: "udp"; port: number } | { kind: "tap"; ifname: string };

export const NET_OPTIONS: Record<string, OptionSpec> = {
  net: { type: "string", value: "forwards", help: "put the board's Ethernet on QEMU's user network and forward host ports to it: 8080 (host TCP 8080 to the board's port 80), tcp:8080-80,udp:5007-7, or none (the board reaches the host at the gateway's address)" },
  "net-udp": { type: "string", value: "port", help: "make the board's Ethernet UDP datagrams, a frame each: taken on 127.0.0.1:port, sent to port + 1 (for a test or tool that is the rest of the network)" },
  "net-tap": { type: "string", value: "interface", help: "put the board's Ethernet on the host's TAP device (ip tuntap add IF mode tap; give it the gateway's address), so the host's own stack reaches the board" },
};

const INTERFACE = /^[A-Za-z0-9_.-]{1,15}$/;

/** The network the options ask for, if any; a usage error for two at once or a bad value. */
export function networkChoice(cmd: Command, values: Record<string, unknown>): NetworkChoice | undefined {
  const given = ["net", "net-udp", "net-tap"].filter((o) => values[o] !== undefined);
  if (given.length > 1) throw new UsageError(`anyk ${cmd.name}: --${given[0]} and --${given[1]} both connect the board's one Ethernet port; give one of them`);
  if (values.net !== undefined) return { kind: "user", forwards: parseForwards(values.net as string) };
  if (values["net-udp"] !== undefined) return { kind: "udp", port: optionalPort(cmd, values, "net-udp")! };
  if (values["net-tap"] !== undefined) {
    const ifname = values["net-tap"] as string;
    if (!INTERFACE.test(ifname)) throw new UsageError(`anyk ${cmd.name}: --net-tap must name a network interface (up to 15 letters, digits, '_', '.', '-'), got '${ifname}'`);
    return { kind: "tap", ifname };
  }
  return undefined;
}

/** QEMU's netdev options (for -nic or -net) of a user network or TAP choice. */
export function qemuNetdev(choice: Exclude<NetworkChoice, { kind: "udp" }>, settings: NetSettings): string {
  if (choice.kind === "user") return userNetOptions(settings, choice.forwards);
  return `tap,ifname=${choice.ifname},script=no,downscript=no`;
}

/** A usage error when a network is asked for but the image has no net faction to use it. */
export function requireNetFaction(cmd: Command, choice: NetworkChoice | undefined, settings: NetSettings | undefined, app: string): void {
  if (choice && !settings) throw new UsageError(`anyk ${cmd.name}: --net, --net-udp and --net-tap need an app with the net faction; ${app} has none`);
}
