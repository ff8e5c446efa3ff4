// Pure logic of the network's settings: the net field of board files and anykernel.json, and
// --net's forwards as QEMU's user network options. Every mistake names the field or the part.
import { describe, expect, it } from "vitest";
import { parseForwards, userNetOptions } from "../scripts/lib/net-forwards.js";
import { parseNetSettings, type NetSettings } from "../scripts/lib/net-settings.js";
import { anyk, tempBuildDir } from "./helpers/cli.js";

const fail = (field: string, problem: string): never => {
  throw new Error(`${field} ${problem}`);
};

describe("net settings", () => {
  it("packs a static configuration big-endian", () => {
    expect(parseNetSettings({ address: "192.168.1.20", mask: "255.255.255.0", gateway: "192.168.1.1" }, fail)).toEqual({ address: 0xc0a80114, mask: 0xffffff00, gateway: 0xc0a80101, dhcp: false });
  });

  it("takes dhcp alone", () => {
    expect(parseNetSettings({ dhcp: true }, fail)).toEqual({ address: 0, mask: 0, gateway: 0, dhcp: true });
    expect(() => parseNetSettings({ dhcp: true, address: "10.0.2.15" }, fail)).toThrow("net.address comes from the DHCP server");
  });

  it.each([
    [{ address: "10.0.2.256", mask: "255.255.255.0", gateway: "10.0.2.2" }, "net.address must be an IPv4 address"],
    [{ address: "10.0.2.15", mask: "255.0.255.0", gateway: "10.0.2.2" }, "net.mask must be ones then zeros"],
    [{ address: "10.0.2.15", mask: "255.255.255.0", gateway: "10.0.3.2" }, "net.gateway must be on the address's network"],
    [{ address: "10.0.2.15", mask: "255.255.255.0", gateway: "10.0.2.2", dns: "1.1.1.1" }, "net.dns is not a net field"],
    [{ dhcp: "yes" }, "net.dhcp must be true or false"],
  ])("refuses %j", (raw, message) => {
    expect(() => parseNetSettings(raw, fail)).toThrow(message);
  });
});

describe("--net forwards", () => {
  const qemuNet: NetSettings = { address: 0x0a00020f, mask: 0xffffff00, gateway: 0x0a000202, dhcp: false };

  it("reads a bare port as host TCP to the board's port 80, and spelled-out forwards", () => {
    expect(parseForwards("8080")).toEqual([{ protocol: "tcp", hostPort: 8080, guestPort: 80 }]);
    expect(parseForwards("tcp:8080-80,udp:5007-7")).toEqual([
      { protocol: "tcp", hostPort: 8080, guestPort: 80 },
      { protocol: "udp", hostPort: 5007, guestPort: 7 },
    ]);
    expect(parseForwards("none")).toEqual([]);
  });

  it.each(["80x", "tcp:8080", "sctp:1-2", "udp:70000-7", "tcp:8080-0"])("refuses '%s' naming it", (spec) => {
    expect(() => parseForwards(spec)).toThrow(/--net: /);
  });

  it("gives QEMU the board's network, gateway and the forwards to the board's address", () => {
    expect(userNetOptions(qemuNet, parseForwards("8080,udp:5007-7"))).toBe("user,net=10.0.2.0/24,host=10.0.2.2,hostfwd=tcp:127.0.0.1:8080-10.0.2.15:80,hostfwd=udp:127.0.0.1:5007-10.0.2.15:7");
    const lan: NetSettings = { address: 0xc0a80014, mask: 0xfffff000, gateway: 0xc0a80001, dhcp: false };
    expect(userNetOptions(lan, [])).toBe("user,net=192.168.0.0/20,host=192.168.0.1");
  });

  it("leaves QEMU's own network under DHCP, forwarding to whatever address its server gives", () => {
    expect(userNetOptions({ address: 0, mask: 0, gateway: 0, dhcp: true }, parseForwards("8080"))).toBe("user,hostfwd=tcp:127.0.0.1:8080-:80");
  });
});

describe("anyk boot and run with --net: usage errors", () => {
  it.each([
    [["boot", "httpd", "--board", "lm3s6965evb", "--net", "80x"], "--net: '80x' must be a host port"],
    [["run", "httpd", "--board", "lm3s6965evb", "--net", "8080", "--net-udp", "40000"], "--net and --net-udp both connect the board's one Ethernet port"],
    [["run", "hello", "--board", "lm3s6965evb", "--net", "8080"], "--net, --net-udp and --net-tap need an app with the net faction; hello has none"],
  ])("anyk %j says what is wrong in one line", async (args, message) => {
    const r = await anyk(args, { env: { ANYK_BUILD_DIR: tempBuildDir("net-usage") }, timeoutMs: 120_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  }, 120_000);
});
