// `--net`: QEMU's user network (slirp) as the board's LAN, host ports forwarded to the board.
// "8080" forwards host TCP 8080 to the board's port 80; "udp:5007-7,tcp:8080-80" spells each out;
// "none" forwards nothing (the board can still reach the host, at the gateway's address).
import { UsageError } from "./errors.js";
import { dottedQuad, type NetSettings } from "./net-settings.js";

export interface Forward {
  protocol: "tcp" | "udp";
  hostPort: number;
  guestPort: number;
}

const PORT = /^\d{1,5}$/;

function port(text: string, what: string, spec: string): number {
  const n = Number(text);
  if (!PORT.test(text) || n < 1 || n > 65535) throw new UsageError(`--net: ${what} in '${spec}' must be a port 1..65535, got '${text}'`);
  return n;
}

/** The forwards --net asks for, or a UsageError naming the part that is wrong. */
export function parseForwards(text: string): Forward[] {
  if (text === "none") return [];
  return text.split(",").map((spec) => {
    if (PORT.test(spec)) return { protocol: "tcp", hostPort: port(spec, "the host port", spec), guestPort: 80 };
    const m = /^(tcp|udp):([^-]+)-(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--net: '${spec}' must be a host port (forwarded to the board's TCP port 80), tcp|udp:HOSTPORT-BOARDPORT like udp:5007-7, or none`);
    return { protocol: m[1] as "tcp" | "udp", hostPort: port(m[2], "the host port", spec), guestPort: port(m[3], "the board port", spec) };
  });
}

/**
 * QEMU's -nic user options: the board's network as the image's settings say, the forwards to its
 * address. Under DHCP the user network keeps QEMU's defaults (10.0.2.0/24), whose DHCP server gives
 * the board the address the forwards go to.
 */
export function userNetOptions(settings: NetSettings, forwards: Forward[]): string {
  const options: string[] = [];
  if (!settings.dhcp) {
    // The mask is ones then zeros (net-settings checks): its length is its count of ones.
    const bits = settings.mask.toString(2).replace(/0/g, "").length;
    options.push(`net=${dottedQuad((settings.address & settings.mask) >>> 0)}/${bits}`, `host=${dottedQuad(settings.gateway)}`);
  }
  const guest = settings.dhcp ? "" : dottedQuad(settings.address);
  for (const f of forwards) options.push(`hostfwd=${f.protocol}:127.0.0.1:${f.hostPort}-${guest}:${f.guestPort}`);
  return ["user", ...options].join(",");
}
