// TCP's active open: test/apps/tcp-client connects out of QEMU's user network (anyk boot/run
// --net none) to a server of the test's own on the host, reached at the gateway's address; the
// server answers the board's line upper-cased and closes, and the app ends when the connection does.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anyk, tempBuildDir } from "./helpers/cli.js";

const RUNS = [
  { board: "lm3s6965evb", command: "boot" },
  { board: "mps2-an385", command: "run" },
];

describe("tcp.connect from the board to a server on the host", () => {
  let server: net.Server;
  let port = 0;
  const heard: string[] = [];

  beforeAll(async () => {
    server = net.createServer((socket) => {
      socket.on("data", (d) => {
        heard.push(d.toString());
        socket.end(d.toString().toUpperCase());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(() => {
    server?.close();
  });

  it.each(RUNS)("$board, anyk $command: connects, is answered, and ends when the server closes", async ({ board, command }) => {
    const r = await anyk([command, "test/apps/tcp-client", "--board", board, "--net", "none", "--timeout", "60"], {
      inputAfter: "port?",
      input: `${port}\n`,
      env: { ANYK_BUILD_DIR: tempBuildDir(`net-client-${board}`) },
      timeoutMs: 180_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("connected\n");
    expect(r.stdout).toContain(`got: HELLO FROM ${board.toUpperCase()}\n`);
    expect(r.stdout).toContain("closed\n");
    expect(r.code).toBe(0);
    expect(heard).toContain(`hello from ${board}\n`);
  }, 180_000);
});
