// anyk boot --serial pty: the console on a real pseudo-terminal, opened with serialport.
import { spawn } from "node:child_process";
import { SerialPort } from "serialport";
import { expect, it } from "vitest";
import { ANYK, ROOT, tempBuildDir } from "./helpers/cli.js";

it("puts the console on a pseudo-terminal whose path it prints", async () => {
  const env = { ...process.env, ANYK_BUILD_DIR: tempBuildDir("serial") };
  const child = spawn(process.execPath, [ANYK, "boot", "test/apps/trap", "--board", "lm3s6965evb", "--serial", "pty", "--timeout", "60"], { cwd: ROOT, env });
  let stderr = "";
  const ptyPath = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d) => {
      stderr += d;
      const m = /^anyk: console on (\/dev\/pts\/\d+)$/m.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on("close", () => reject(new Error(`anyk boot ended before printing the pty: ${stderr}`)));
  });
  const port = new SerialPort({ path: ptyPath, baudRate: 115200 });
  let received = "";
  port.on("data", (d: Buffer) => (received += d.toString("latin1")));
  await new Promise<void>((resolve, reject) => port.on("open", (err) => (err ? reject(err) : resolve())));
  // QEMU drops console output until it notices the pty is open, which it checks once a second:
  // wait for that before the app is made to print and exit at once.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  // The app polls the console for one command byte; 'a' makes it panic with a known message.
  port.write("a");
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  await new Promise((resolve) => setTimeout(resolve, 100));
  if (port.isOpen) port.close();
  expect(received).toMatch(/panic: abort: deliberate panic from the trap app \(pc 0x[0-9A-F]{8}\)/);
  expect(code).toBe(101);
}, 120_000);
