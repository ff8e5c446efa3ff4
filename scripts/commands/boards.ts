// anyk boards: lists the board descriptions under boards/.
import type { Command } from "../lib/command.js";
import { formatSize, hex, loadAllBoards, type Board, type Device } from "../lib/boards.js";
import { formatTable } from "../lib/table.js";

function deviceSummary(d: Device) {
  return { name: d.name, compatible: d.compatible, base: d.base, size: d.size, irqs: d.irqs };
}

function summary(board: Board) {
  return {
    name: board.name,
    chip: board.chip ?? null,
    cpu: board.cpu,
    description: board.description,
    clock_hz: board.clockHz,
    memory: board.memory.map((m) => ({ name: m.name, kind: m.kind, start: m.start, size: m.size })),
    console: board.console,
    timebase: board.timebase ? deviceSummary(board.timebase) : null,
    devices: board.devices.map(deviceSummary),
    qemu_machine: board.qemu.machine,
    loader: board.loader ? { medium: board.loader.medium, slot: board.loader.slot, staging: board.loader.staging, image_ram: board.loader.imageRam, window_ms: board.loader.windowMs } : null,
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
      // Where anyk flash puts images: the bootloader's slot medium, or "-" without a loader layout.
      return [b.name, b.cpu, formatSize(flash), formatSize(ram), `${b.devices.length}`, b.loader ? `${b.loader.medium} ${formatSize(b.loader.slot.size)}` : "-", b.origin ?? "toolchain", b.description];
    });
    const header = ["BOARD", "CPU", "FLASH", "RAM", "DEVICES", "SLOT", "FROM", "DESCRIPTION"];
    const out = [formatTable([header, ...rows]).trimEnd()];
    if (values.verbose) {
      for (const b of boards) {
        out.push("", `${b.name} (${b.chip ? `chip: ${b.chip}, ` : ""}console: ${b.console}, clock: ${b.timebase ? `${b.timebase.name}, which no driver may bind` : "SysTick"}, qemu -M ${b.qemu.machine})`);
        if (b.loader) {
          const l = b.loader;
          out.push(`  loader: image slot in ${l.medium} at ${hex(l.slot.start)} (${formatSize(l.slot.size)}), staging at ${hex(l.staging.start)} (${formatSize(l.staging.size)}), image RAM at ${hex(l.imageRam.start)} (${formatSize(l.imageRam.size)}), window ${l.windowMs} ms`);
        }
        for (const d of b.timebase ? [...b.devices, b.timebase] : b.devices) {
          const irq = Object.entries(d.irqs).map(([role, n]) => (role === "irq" ? `irq ${n}` : `${role} ${n}`)).join(", ");
          out.push(`  ${d.name.padEnd(8)} ${d.compatible.padEnd(22)} ${hex(d.base)}+${hex(d.size, 0)}${irq ? "  " + irq : ""}${d === b.timebase ? "  (the stub's clock)" : ""}`);
        }
      }
    }
    process.stdout.write(out.join("\n") + "\n");
    return 0;
  },
};
