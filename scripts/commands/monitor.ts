// anyk monitor: an interactive serial console on a board's port; Ctrl-] leaves.
import type { Command } from "../lib/command.js";
import { BAUD_OPTION, portOption } from "../lib/options.js";
import { expectPositionals, requireString } from "../lib/command.js";
import { closePort, listPorts, openPort, parseBaud } from "../lib/loader/serial.js";

const LEAVE = 0x1d; // Ctrl-]

export const monitorCommand: Command = {
  name: "monitor",
  summary: "an interactive console on a serial port (Ctrl-] to leave)",
  args: "",
  options: {
    port: portOption("the serial port (e.g. /dev/ttyACM0, or the pty anyk boot --serial pty prints)"),
    baud: BAUD_OPTION,
    list: { type: "boolean", help: "list the serial ports this machine has, and exit" },
    json: { type: "boolean", help: "with --list: print them as a JSON array" },
  },
  details: ["What the board sends goes to stdout as it comes; what you type goes to the board byte by byte.", "Ctrl-] (or the end of piped input) closes the port and exits 0."],
  async run(positionals, values) {
    expectPositionals(this, positionals, []);
    if (values.list) {
      // Listing needs udev on Linux; where it is missing the list is empty, never an error.
      const ports = await listPorts();
      process.stdout.write(values.json ? JSON.stringify(ports) + "\n" : ports.length ? ports.join("\n") + "\n" : "no serial ports found (pseudo-terminals are not listed: anyk boot --serial pty prints its own)\n");
      return 0;
    }
    const path = requireString(this, values, "port");
    const port = await openPort(path, parseBaud(values.baud as string | undefined, "monitor"));
    const stdin = process.stdin;
    const raw = stdin.isTTY;
    if (raw) {
      stdin.setRawMode(true);
      process.stderr.write(`anyk monitor: ${path}; Ctrl-] to leave\r\n`);
    }
    port.on("data", (d: Buffer) => process.stdout.write(d));
    await new Promise<void>((resolve) => {
      stdin.on("data", (d: Buffer) => {
        const at = d.indexOf(LEAVE);
        if (at >= 0) {
          if (at > 0) port.write(d.subarray(0, at));
          resolve();
        } else port.write(d);
      });
      stdin.on("end", () => setTimeout(resolve, 300)); // let the last replies arrive
      port.on("close", () => resolve());
    });
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    await closePort(port);
    return 0;
  },
};
