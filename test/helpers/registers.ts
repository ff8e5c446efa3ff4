// The vendors' register descriptions (chips/registers/<compatible>.json, entered from the reference
// manuals) as a referee: a register access is checked for a real register, write access, and no
// bit set outside the register's defined bits. The accesses come from the places that make them:
// the userspace trace of the kernel's drivers and of bring-up, and the stub's C read as text.
import fs from "node:fs";
import path from "node:path";
import type { Board } from "../../scripts/lib/boards.js";
import { ROOT } from "./cli.js";

export interface Register {
  name: string;
  /** Offset in the device's window, or the absolute address for the core's registers. */
  at: number;
  access: "rw" | "ro" | "wo" | "w1c";
  bits: number;
  count: number;
  stride: number;
}

export const REGISTERS_DIR = path.join(ROOT, "chips", "registers");

export function registerTables(dir = REGISTERS_DIR): Map<string, Register[]> {
  const tables = new Map<string, Register[]>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { compatible: string; registers: Array<Record<string, string | number>> };
    tables.set(doc.compatible, doc.registers.map((r) => ({ name: String(r.name), at: Number(r.offset ?? r.address), access: r.access as Register["access"], bits: Number(r.bits), count: Number(r.count ?? 1), stride: Number(r.stride ?? 4) })));
  }
  return tables;
}

export interface Access {
  write: boolean;
  address: number;
  width: number;
  /** The value written; undefined when the source does not say (a C write of a variable). */
  value?: number;
  /** Where it came from, for the report. */
  source: string;
}

const hex = (n: number) => "0x" + (n >>> 0).toString(16).toUpperCase().padStart(8, "0");

/** The register at offset in a table, if any (an 8- or 16-bit access may fall inside one). */
export function registerAt(table: Register[], offset: number): { register: Register; byte: number } | undefined {
  const word = (offset & ~3) >>> 0;
  for (const register of table) {
    const index = (word - register.at) / register.stride;
    if (Number.isInteger(index) && index >= 0 && index < register.count) return { register, byte: offset & 3 };
  }
  return undefined;
}

/** Problems with one access to a device of the given compatible at offset (empty when sound). */
export function checkAccess(tables: Map<string, Register[]>, compatible: string, offset: number, access: Access): string[] {
  const table = tables.get(compatible);
  const where = `${access.source}: ${access.write ? "write" : "read"} at ${hex(access.address)} (${compatible} +${hex(offset)})`;
  if (!table) return [`${where}: no register description for ${compatible} in chips/registers/`];
  const found = registerAt(table, offset);
  if (!found) return [`${where}: not a register of ${compatible}`];
  const { register, byte } = found;
  if (access.write && register.access === "ro") return [`${where}: ${register.name} is read-only`];
  if (!access.write && register.access === "wo") return [`${where}: ${register.name} is write-only`];
  if (access.write && access.value !== undefined) {
    const stray = ((access.value << (byte * 8)) & ~register.bits) >>> 0;
    if (stray) return [`${where}: writes ${hex(access.value)}, setting reserved bits ${hex(stray)} of ${register.name}`];
  }
  return [];
}

/** Problems with accesses at absolute addresses: each must fall in a board device's window or be a core register. */
export function checkBoardAccesses(tables: Map<string, Register[]>, board: Board, accesses: Access[]): string[] {
  const devices = [...board.devices, ...(board.timebase ? [board.timebase] : [])];
  const problems: string[] = [];
  for (const access of accesses) {
    const device = devices.find((d) => access.address >= d.base && access.address < d.base + d.size);
    if (device) problems.push(...checkAccess(tables, device.compatible, access.address - device.base, access));
    else problems.push(...checkAccess(tables, "arm,armv7m-core", access.address, access));
  }
  return [...new Set(problems)];
}

/**
 * The register accesses a C source of the stub makes, read from its text: #defines of a register
 * as BASE + offset (or through a macro taking the offset, or an absolute address), and each
 * stub_read32/stub_write32 of one, with the value when it is made of constants.
 */
export function cAccesses(file: string): Array<{ base: string; offset: number; write: boolean; value?: number; line: number }> {
  const text = fs.readFileSync(file, "utf8");
  const constants = new Map<string, number>();
  const registers = new Map<string, { base: string; offset: number }>();
  const offsetMacros = new Map<string, string>();
  for (const m of text.matchAll(/^#define (\w+)\((\w+)\) \((ANYK_\w+_BASE) \+ \(\2\)\)/gm)) offsetMacros.set(m[1], m[3]);
  for (const m of text.matchAll(/^#define (\w+) (.+?)\s*(?:\/\*.*)?$/gm)) {
    const [name, body] = [m[1], m[2].trim()];
    const based = /^\((ANYK_\w+_BASE) \+ (0x[0-9A-Fa-f]+)u\)$/.exec(body);
    const viaMacro = /^(\w+)\((0x[0-9A-Fa-f]+)u\)$/.exec(body);
    const absolute = /^(0xE000[0-9A-Fa-f]{4})u$/.exec(body);
    if (based) registers.set(name, { base: based[1], offset: Number(based[2]) });
    else if (viaMacro && offsetMacros.has(viaMacro[1])) registers.set(name, { base: offsetMacros.get(viaMacro[1])!, offset: Number(viaMacro[2]) });
    else if (absolute) registers.set(name, { base: "absolute", offset: Number(absolute[1]) });
    else {
      const value = evaluate(body, constants);
      if (value !== undefined) constants.set(name, value);
    }
  }
  const found: Array<{ base: string; offset: number; write: boolean; value?: number; line: number }> = [];
  for (const call of calls(text, /stub_(read|write)32\(/g)) {
    const [target, value] = call.args;
    const register = registers.get(/^\w+/.exec(target)?.[0] ?? "");
    if (!register) continue;
    found.push({ ...register, write: call.name === "write", value: value === undefined ? undefined : evaluate(value, constants), line: call.line });
  }
  return found;
}

/** Each call the pattern starts ("name(" with the name's variable part captured), with its top-level arguments. */
function calls(text: string, start: RegExp): Array<{ name: string; args: string[]; line: number }> {
  const out: Array<{ name: string; args: string[]; line: number }> = [];
  for (const m of text.matchAll(start)) {
    const args: string[] = [];
    let depth = 0;
    let current = "";
    for (let i = m.index! + m[0].length; i < text.length; i++) {
      const c = text[i];
      if (c === "(") depth++;
      if (c === ")" && depth-- === 0) break;
      if (c === "," && depth === 0) {
        args.push(current.trim());
        current = "";
      } else current += c;
    }
    args.push(current.trim());
    out.push({ name: m[1], args, line: text.slice(0, m.index).split("\n").length });
  }
  return out;
}

/** A C constant expression of numbers, known constants, |, <<, parentheses; undefined otherwise. */
function evaluate(expression: string, constants: Map<string, number>): number | undefined {
  const replaced = expression.replace(/\b[A-Za-z_]\w*\b/g, (name) => (constants.has(name) ? `(${constants.get(name)})` : `@${name}`)).replace(/\b(0x[0-9A-Fa-f]+|\d+)u\b/g, "$1");
  if (!/^[\s\d()x|<A-Fa-f]+$/.test(replaced)) return undefined;
  try {
    return Number(Function(`"use strict"; return (${replaced}) >>> 0;`)());
  } catch {
    return undefined;
  }
}
