// anyk size --matrix: builds a list of driver sets for every board and prints one table of their
// ROM/RAM, with each driver's marginal cost over hello beside it.
import fs from "node:fs";
import { resolveApp } from "../apps.js";
import { boardNames, loadBoard, type Board } from "../boards.js";
import { UserError } from "../errors.js";
import { formatTable } from "../table.js";
import { measureImage } from "./measure.js";

export interface DriverSet {
  name: string;
  app: string;
  with: string[];
}

interface Cell {
  rom: number;
  ram: number;
  /** The components --with brought in beyond the app's own (the bound driver). */
  added: string[];
  /** ROM and RAM over the same app without the set's --with components. */
  marginal?: { rom: number; ram: number };
  /** The drivers' own rows among the added components. */
  drivers?: Array<{ name: string; rom: number; ram: number }>;
}

const DEVICE_CLASSES = ["uart", "gpio", "timer", "rng", "netif"];

/** Each app alone (the networked ones where the board has Ethernet), and each device class's driver added to hello. */
export function defaultSets(): DriverSet[] {
  return [
    { name: "hello", app: "hello", with: [] },
    { name: "echo", app: "echo", with: [] },
    { name: "blinky", app: "blinky", with: [] },
    { name: "ping", app: "ping", with: [] },
    { name: "udp-echo", app: "udp-echo", with: [] },
    { name: "httpd", app: "httpd", with: [] },
    ...DEVICE_CLASSES.map((c) => ({ name: `hello + ${c}`, app: "hello", with: [`device:${c}`] })),
  ];
}

export function loadSets(file: string): DriverSet[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: not valid JSON: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new UserError(`${file}: expected a non-empty array of driver sets like [{ "app": "hello", "with": ["device:uart"] }]`);
  return raw.map((s, i) => {
    if (typeof s !== "object" || s === null || typeof (s as DriverSet).app !== "string") throw new UserError(`${file}: set ${i}: field 'app' must name an app, e.g. "hello"`);
    const set = s as Partial<DriverSet>;
    if (set.with !== undefined && (!Array.isArray(set.with) || !set.with.every((w) => typeof w === "string"))) throw new UserError(`${file}: set ${i}: field 'with' must be an array of component names or "device:<class>"`);
    const withList = set.with ?? [];
    return { name: set.name ?? [set.app, ...withList].join(" + "), app: set.app!, with: withList };
  });
}

export async function runMatrix(options: { setsFile?: string; boards: string[]; json: boolean }): Promise<number> {
  const sets = options.setsFile ? loadSets(options.setsFile) : defaultSets();
  const boards: Board[] = (options.boards.length ? options.boards : boardNames()).map((b) => loadBoard(b));
  const results = new Map<string, Map<string, Cell | { error: string }>>();
  const total = sets.length * boards.length;
  let done = 0;
  for (const board of boards) {
    const base = new Map<string, Cell>();
    for (const set of sets) {
      done++;
      process.stderr.write(`[${done}/${total}] ${set.name} on ${board.name}\n`);
      const row = results.get(set.name) ?? results.set(set.name, new Map()).get(set.name)!;
      try {
        const report = await measureImage(resolveApp(set.app), board, { with: set.with, platform: "none", input: "", timeoutSeconds: 10 });
        const alone = set.with.length === 0 ? undefined : (base.get(set.app) ?? (await appAlone(set.app, board)));
        const names = report.components.filter((c) => c.kind === "component").map((c) => c.name);
        const cell: Cell = { rom: report.elf.flash, ram: report.elf.ram, added: alone ? names.filter((n) => !alone.added.includes(n)) : [] };
        if (alone) {
          cell.marginal = { rom: cell.rom - alone.rom, ram: cell.ram - alone.ram };
          cell.drivers = report.components.filter((c) => c.layer === "driver" && cell.added.includes(c.name)).map((c) => ({ name: c.name, rom: c.rom, ram: c.ram }));
        }
        else cell.added = names;
        if (set.with.length === 0) base.set(set.app, cell);
        row.set(board.name, cell);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        row.set(board.name, { error: err.message });
      }
    }
  }
  if (options.json) {
    const json = sets.map((s) => ({ ...s, boards: Object.fromEntries(results.get(s.name)!) }));
    process.stdout.write(JSON.stringify({ boards: boards.map((b) => b.name), sets: json }) + "\n");
    return 0;
  }
  const rows = [["set", ...boards.map((b) => b.name)]];
  for (const set of sets) {
    rows.push([set.name, ...boards.map((b) => cellText(results.get(set.name)!.get(b.name)!))]);
  }
  process.stdout.write("ROM / RAM in bytes (the ELF's loaded segments). With a driver added: the driver's own bytes, then the whole\nimage's growth over the app alone (the first driver also brings the hil and dev components).\n\n");
  process.stdout.write(formatTable(rows));
  return 0;
}

async function appAlone(app: string, board: Board): Promise<Cell> {
  const report = await measureImage(resolveApp(app), board, { with: [], platform: "none", input: "", timeoutSeconds: 10 });
  return { rom: report.elf.flash, ram: report.elf.ram, added: report.components.filter((c) => c.kind === "component").map((c) => c.name) };
}

function cellText(cell: Cell | { error: string }): string {
  if ("error" in cell) return /has no device|needs a device/.test(cell.error) ? "(no device)" : "(fails)";
  if (!cell.marginal) return `${cell.rom} / ${cell.ram}`;
  const own = (cell.drivers ?? []).map((d) => `${d.name} ${d.rom} / ${d.ram}`).join(", ") || "no driver";
  return `${own}; image +${cell.marginal.rom} / +${cell.marginal.ram}`;
}
