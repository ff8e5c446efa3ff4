// Loading a firmware ELF through a GDB server, as `arm-none-eabi-gdb -ex load` would, without gdb:
// every loadable segment written (flash regions of the server's memory map with vFlashErase/
// vFlashWrite/vFlashDone, as OpenOCD and probes want; the rest with M packets, as QEMU takes
// flash too), read back and compared, then the core started at the image's reset vector.
import { readElf, PT_LOAD } from "../elf.js";
import { UserError } from "../errors.js";
import { hex } from "../boards.js";
import { escapeBinary, GdbRemote } from "./remote.js";

export interface FlashRegion {
  start: number;
  length: number;
  blockSize: number;
}

export interface LoadProgress {
  phase: "write" | "verify";
  done: number;
  total: number;
}

export interface LoadResult {
  bytes: number;
  milliseconds: number;
  /** The reset vector's stack pointer and entry the core was started at. */
  sp: number;
  pc: number;
  /** Whether the server's memory map had flash, written with vFlash packets. */
  flashPackets: boolean;
}

export interface LoadOptions {
  host: string;
  port: number;
  onProgress?(progress: LoadProgress): void;
  /** Leave the core halted after verifying. */
  noRun?: boolean;
}

/** The flash regions of a GDB memory-map XML document (qXfer:memory-map:read). */
export function parseMemoryMap(xml: string): FlashRegion[] {
  const regions: FlashRegion[] = [];
  for (const m of xml.matchAll(/<memory\s+([^>]*?)\/?>([\s\S]*?)(?:<\/memory>|(?=<memory)|$)/g)) {
    const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    if (attrs.type !== "flash") continue;
    const block = /<property\s+name="blocksize">\s*([^<\s]+)\s*<\/property>/.exec(m[2]);
    regions.push({ start: Number(attrs.start), length: Number(attrs.length), blockSize: block ? Number(block[1]) : 0x400 });
  }
  return regions;
}

/** The loadable bytes of an ELF at their load (physical) addresses. */
export function loadableSegments(elfFile: string): Array<{ address: number; bytes: Buffer }> {
  const elf = readElf(elfFile);
  const segments = elf.segments.filter((s) => s.type === PT_LOAD && s.filesz > 0).map((s) => ({ address: s.paddr, bytes: elf.bytes.subarray(s.offset, s.offset + s.filesz) }));
  if (segments.length === 0) throw new UserError(`${elfFile}: no loadable segments`);
  return segments.sort((a, b) => a.address - b.address);
}

const le32 = (n: number): string => Buffer.from(Uint32Array.of(n >>> 0).buffer).toString("hex");

async function expectOk(remote: GdbRemote, payload: string | Buffer, what: string): Promise<void> {
  const reply = await remote.request(payload, what);
  if (reply !== "OK") throw new UserError(`${remote.where}: ${what} refused${reply ? ` (${reply})` : " (the server does not support it)"}`);
}

/** Reads one qXfer annex whole. */
async function readAnnex(remote: GdbRemote, object: string, annex: string): Promise<string | undefined> {
  let text = "";
  for (;;) {
    const reply = await remote.request(`qXfer:${object}:read:${annex}:${text.length.toString(16)},800`, `qXfer:${object}:read`);
    if (!reply || (reply[0] !== "m" && reply[0] !== "l")) return undefined;
    text += reply.slice(1);
    if (reply[0] === "l") return text;
  }
}

/**
 * The numbers of sp, pc and xpsr in the server's target description (GDB numbers registers in
 * order unless one says its regnum). Reading it is also what QEMU waits for before it takes P packets.
 */
export async function registerNumbers(remote: GdbRemote, supported: string): Promise<{ sp: number; pc: number; xpsr: number }> {
  const found: Record<string, number> = {};
  if (supported.includes("qXfer:features:read+")) {
    let next = 0;
    const visit = async (annex: string, depth: number): Promise<void> => {
      const xml = await readAnnex(remote, "features", annex);
      if (!xml || depth > 4) return;
      for (const m of xml.matchAll(/<reg\s+([^>]*)\/?>|<xi:include\s+href="([^"]+)"/g)) {
        if (m[2]) {
          await visit(m[2], depth + 1);
          continue;
        }
        const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
        const number = attrs.regnum !== undefined ? Number(attrs.regnum) : next;
        next = number + 1;
        found[attrs.name] ??= number;
      }
    };
    await visit("target.xml", 0);
  }
  // The ARM numbering GDB uses without a description: r13, r15, and xpsr after the FPA registers.
  return { sp: found.sp ?? found.r13 ?? 13, pc: found.pc ?? found.r15 ?? 15, xpsr: found.xpsr ?? found.cpsr ?? 25 };
}

async function memoryMap(remote: GdbRemote, supported: string): Promise<FlashRegion[]> {
  if (!supported.includes("qXfer:memory-map:read+")) return [];
  const xml = await readAnnex(remote, "memory-map", "");
  return xml ? parseMemoryMap(xml) : [];
}

export async function loadOverGdb(elfFile: string, options: LoadOptions): Promise<LoadResult> {
  const segments = loadableSegments(elfFile);
  const total = segments.reduce((n, s) => n + s.bytes.length, 0);
  const started = performance.now();
  const remote = await GdbRemote.connect(options.host, options.port);
  try {
    const supported = await remote.request("qSupported:swbreak+;hwbreak+", "qSupported");
    const packetSize = Number.parseInt(/PacketSize=([0-9a-f]+)/i.exec(supported)?.[1] ?? "400", 16);
    // Hex doubles every byte; keep room for the command and address.
    const chunk = Math.max(16, Math.min(1024, Math.floor((packetSize - 32) / 2)));
    const halted = await remote.request("?", "the stop reason");
    if (!/^[ST]/.test(halted)) throw new UserError(`${remote.where}: the target is not halted (stop reply '${halted}'); halt it first (OpenOCD: 'reset halt')`);
    const flash = await memoryMap(remote, supported);
    const inFlash = (a: number) => flash.find((r) => a >= r.start && a < r.start + r.length);

    let done = 0;
    const flashWrites = segments.filter((s) => inFlash(s.address));
    for (const segment of flashWrites) {
      const region = inFlash(segment.address)!;
      const from = segment.address - ((segment.address - region.start) % region.blockSize);
      const to = Math.ceil((segment.address + segment.bytes.length - region.start) / region.blockSize) * region.blockSize + region.start;
      await expectOk(remote, `vFlashErase:${from.toString(16)},${(to - from).toString(16)}`, `erasing flash ${hex(from)}..${hex(to)}`);
    }
    for (const segment of segments) {
      for (let at = 0; at < segment.bytes.length; at += chunk) {
        const piece = segment.bytes.subarray(at, at + chunk);
        const address = segment.address + at;
        if (inFlash(address)) await expectOk(remote, Buffer.concat([Buffer.from(`vFlashWrite:${address.toString(16)}:`), escapeBinary(piece)]), `writing flash at ${hex(address)}`);
        else await expectOk(remote, `M${address.toString(16)},${piece.length.toString(16)}:${piece.toString("hex")}`, `writing memory at ${hex(address)}`);
        done += piece.length;
        options.onProgress?.({ phase: "write", done, total });
      }
    }
    if (flashWrites.length) await expectOk(remote, "vFlashDone", "finishing the flash writes");

    done = 0;
    for (const segment of segments) {
      for (let at = 0; at < segment.bytes.length; at += chunk) {
        const want = segment.bytes.subarray(at, at + chunk);
        const address = segment.address + at;
        const reply = await remote.request(`m${address.toString(16)},${want.length.toString(16)}`, `reading back ${hex(address)}`);
        if (!/^([0-9a-f]{2})+$/i.test(reply) || reply.length !== want.length * 2) throw new UserError(`${remote.where}: reading back ${want.length} bytes at ${hex(address)} failed (${reply || "no data"})`);
        const got = Buffer.from(reply, "hex");
        const bad = got.findIndex((b, i) => b !== want[i]);
        if (bad >= 0) throw new UserError(`verify failed: the byte at ${hex(address + bad)} reads 0x${got[bad].toString(16).padStart(2, "0")} after writing 0x${want[bad].toString(16).padStart(2, "0")} (is that memory writable by the debugger, or the flash write-protected?)`);
        done += want.length;
        options.onProgress?.({ phase: "verify", done, total });
      }
    }

    // The vector table leads the lowest loaded segment: initial SP, then the reset handler.
    const vectors = segments[0].bytes;
    const sp = vectors.readUInt32LE(0);
    const pc = vectors.readUInt32LE(4);
    if (!options.noRun) {
      // As the core does at reset: sp and pc from the vector table, xPSR with only the Thumb bit.
      const regs = await registerNumbers(remote, supported);
      await expectOk(remote, `P${regs.sp.toString(16)}=${le32(sp)}`, "setting the stack pointer");
      await expectOk(remote, `P${regs.pc.toString(16)}=${le32(pc & ~1)}`, "setting the program counter");
      await expectOk(remote, `P${regs.xpsr.toString(16)}=${le32(0x01000000)}`, "setting xPSR");
      // Detaching resumes the core (QEMU, OpenOCD and the Black Magic Probe all do).
      await remote.request("D", "detach");
    }
    return { bytes: total, milliseconds: performance.now() - started, sp, pc, flashPackets: flashWrites.length > 0 };
  } finally {
    remote.close();
  }
}
