// httpd and udp-echo on both boards with an Ethernet MAC, in QEMU (anyk boot --net) and in
// userspace (anyk run --net, the device models on the same user network), reached by Node's own http
// and dgram clients through the host's TCP/IP stack: the page, 200 requests one after another and
// 20 at once, 64 KiB intact, the LED, and 1,000 datagrams echoed with none lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempBuildDir } from "./helpers/cli.js";
import { RunningBoard, expectedBytesDigest, httpGet, parseStats, sha256, udpEchoes } from "./helpers/net-clients.js";

const RUNS = [
  { board: "lm3s6965evb", command: "boot", where: "in QEMU" },
  { board: "mps2-an385", command: "boot", where: "in QEMU" },
  { board: "lm3s6965evb", command: "run", where: "in userspace" },
  { board: "mps2-an385", command: "run", where: "in userspace" },
];
const BASE = 42000 + (process.pid % 2000) * 8;

describe.each(RUNS.map((r, i) => ({ ...r, httpPort: BASE + i * 2 })))("$board $where", ({ board, command, httpPort }) => {
  const udpPort = httpPort + 1;
  const env = { ANYK_BUILD_DIR: tempBuildDir(`net-services-${board}`) };
  let httpd: RunningBoard;
  let echo: RunningBoard;

  beforeAll(async () => {
    httpd = new RunningBoard([command, "httpd", "--board", board, "--net", String(httpPort), "--timeout", "300"], env);
    await httpd.ready("httpd: listening on 10.0.2.15:80");
    echo = new RunningBoard([command, "udp-echo", "--board", board, "--net", `udp:${udpPort}-7`, "--timeout", "300"], env);
    await echo.ready("udp-echo: port 7 at 10.0.2.15");
  }, 240_000);

  afterAll(() => {
    httpd?.stop();
    echo?.stop();
  });

  it("GET / returns the page naming the board and its uptime", async () => {
    const reply = await httpGet(httpPort, "/");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html");
    expect(reply.body.toString()).toContain(`<h1>anykernel on ${board}</h1>`);
    expect(reply.body.toString()).toMatch(/Up for \d+ s\./);
  });

  it("answers 200 requests one after another and 20 at once, all of them", async () => {
    let ok = 0;
    for (let i = 0; i < 200; i++) {
      const reply = await httpGet(httpPort, "/");
      if (reply.status === 200 && reply.body.includes(`anykernel on ${board}`)) ok++;
    }
    expect(ok).toBe(200);
    const replies = await Promise.all(Array.from({ length: 20 }, () => httpGet(httpPort, "/")));
    expect(replies.filter((r) => r.status === 200 && r.body.includes(`anykernel on ${board}`)).length).toBe(20);
  }, 120_000);

  it("sends 64 KiB intact", async () => {
    const reply = await httpGet(httpPort, "/bytes");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-length"]).toBe("65536");
    expect(reply.body.length).toBe(65536);
    expect(sha256(reply.body)).toBe(expectedBytesDigest());
  }, 60_000);

  it("drives the LED, says so on the page, and answers 404 and 405", async () => {
    expect((await httpGet(httpPort, "/leds/on")).body.toString()).toBe("LED on\n");
    expect((await httpGet(httpPort, "/")).body.toString()).toContain("LED on.");
    expect((await httpGet(httpPort, "/leds/off")).body.toString()).toBe("LED off\n");
    expect((await httpGet(httpPort, "/nothing-here")).status).toBe(404);
  });

  it("counted nothing bad on a clean line", async () => {
    const stats = parseStats((await httpGet(httpPort, "/stats")).body);
    expect(stats.syns_answered).toBeGreaterThan(200);
    expect(stats.bad_checksum).toBe(0);
    expect(stats.truncated).toBe(0);
    expect(stats.timeouts).toBe(0);
  });

  it("udp-echo returns 1,000 datagrams with none lost or changed", async () => {
    expect(await udpEchoes(udpPort, 1000)).toEqual({ lost: 0, wrong: 0 });
  }, 120_000);
});
