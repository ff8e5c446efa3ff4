// anyk boards: lists the board descriptions under boards/.
import type { Command } from "../lib/command.js";
import { formatSize, hex, loadAllBoards, type Board } from "../lib/boards.js";
import { formatTable } from "../lib/table.js";

function summary(board: Board) {
  return {
    name: board.name,
    cpu: board.cpu,
    description: board.description,
    clock_hz: board.clockHz,
    memory: board.memory.map((m) => ({ name: m.name, kind: m.kind, start: m.start, size: m.size })),
    console: board.console,
    devices: board.devices.map((d) => ({ name: d.name, compatible: d.compatible, base: d.base, size: d.size, irqs: d.irqs })),
    qemu_machine: board.qemu.machine,
  };
}

export const boardsCommand: Command = {
  name: "boards",
  summary: "list the boards an image can be built for",
  args: "",
  options: {
    json: { type: "boolean", help: "print the boards as one JSON array" },
    verbose: { type: "boolean", short: "v", help: "also list each board's devices" },
  },
  async run(_positionals, values) {
    const boards = loadAllBoards();
    if (values.json) {
      process.stdout.write(JSON.stringify(boards.map(summary), null, 2) + "\n");
      return 0;
    }
    const rows = boards.map((b) => {
      const flash = b.memory.filter((m) => m.kind === "flash").reduce((s, m) => s + m.size, 0);
      const ram = b.memory.filter((m) => m.kind === "ram").reduce((s, m) => s + m.size, 0);
      return [b.name, b.cpu, formatSize(flash), formatSize(ram), `${b.devices.length}`, b.description];
    });
    const header = ["BOARD", "CPU", "FLASH", "RAM", "DEVICES", "DESCRIPTION"];
    const out = [formatTable([header, ...rows]).trimEnd()];
    if (values.verbose) {
      for (const b of boards) {
        out.push("", `${b.name} (console: ${b.console}, qemu -M ${b.qemu.machine})`);
        for (const d of b.devices) {
          const irq = Object.entries(d.irqs).map(([role, n]) => (role === "irq" ? `irq ${n}` : `${role} ${n}`)).join(", ");
          out.push(`  ${d.name.padEnd(8)} ${d.compatible.padEnd(22)} ${hex(d.base)}+${hex(d.size, 0)}${irq ? "  " + irq : ""}`);
        }
      }
    }
    process.stdout.write(out.join("\n") + "\n");
    return 0;
  },
};
