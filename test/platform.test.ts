// The userspace platform's logic on its own: MMIO routing, interrupts and virtual time.
// A register file stands in for a device model here; real models get their own tests.
import { describe, expect, it } from "vitest";
import { MmioBus, type AccessWidth, type DeviceModel } from "../platform/node/devices/bus.js";
import { KernelPanic, UserspacePlatform, type ConsoleIo } from "../platform/node/platform.js";

class Registers implements DeviceModel {
  readonly writes: Array<[number, number, AccessWidth]> = [];
  value = 0;
  read(_offset: number, _width: AccessWidth): number {
    return this.value;
  }
  write(offset: number, value: number, width: AccessWidth): void {
    this.writes.push([offset, value, width]);
  }
}

const quietConsole: ConsoleIo = { write() {}, read: () => new Uint8Array(0), sleep() {}, waitForInput() {}, inputEnded: () => true };

function setup() {
  const bus = new MmioBus();
  const regs = new Registers();
  bus.map({ name: "dev", base: 0x40001000, size: 0x100, model: regs });
  const platform = new UserspacePlatform({ bus, console: quietConsole, irqLines: new Set([5, 7]) });
  return { platform, regs };
}

function panicOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof KernelPanic) return err.message;
    throw err;
  }
  return "no panic";
}

describe("MMIO on the userspace platform", () => {
  it("routes writes to the device at their offset, masked to the access width", () => {
    const { platform, regs } = setup();
    platform.mmio_write32(0x40001010, -1);
    platform.mmio_write16(0x40001012, 0x12345);
    platform.mmio_write8(0x400010ff, 0x1ff);
    expect(regs.writes).toEqual([[0x10, 0xffffffff, 32], [0x12, 0x2345, 16], [0xff, 0xff, 8]]);
  });

  it("returns the device's value, masked to the access width", () => {
    const { platform, regs } = setup();
    regs.value = 0xdeadbeef;
    expect(platform.mmio_read32(0x40001000)).toBe(0xdeadbeef);
    expect(platform.mmio_read16(0x40001000)).toBe(0xbeef);
    expect(platform.mmio_read8(0x40001000)).toBe(0xef);
  });

  it("refuses an address outside every window, naming it", () => {
    const { platform } = setup();
    expect(panicOf(() => platform.mmio_read32(0x40001100))).toBe("mmio: mmio_read32 at 0x40001100 refused: not granted to the image");
    expect(panicOf(() => platform.mmio_write32(0x40000ffc, 1))).toContain("0x40000FFC");
  });

  it("refuses unaligned accesses and accesses running past the window", () => {
    const { platform } = setup();
    expect(panicOf(() => platform.mmio_write32(0x40001002, 1))).toBe("mmio: mmio_write32 at 0x40001002 refused: not granted to the image");
    expect(panicOf(() => platform.mmio_read32(0x40001100 - 2))).toContain("refused");
  });
});

describe("interrupts and virtual time", () => {
  it("wait returns a raised line only once it is unmasked, and masks it again", () => {
    const { platform } = setup();
    platform.raise(5);
    expect(platform.wait(1_000_000n)).toBe(-1);
    platform.irq_unmask(5);
    expect(platform.wait(2_000_000n)).toBe(5);
    platform.raise(5);
    expect(platform.wait(3_000_000n)).toBe(-1);
  });

  it("wait runs scheduled device events in time order and stops at the deadline", () => {
    const { platform } = setup();
    const seen: string[] = [];
    platform.irq_unmask(7);
    platform.schedule(3_000n, () => seen.push(`b@${platform.now}`));
    platform.schedule(1_000n, () => seen.push(`a@${platform.now}`));
    platform.schedule(9_000n, () => platform.raise(7));
    expect(platform.wait(5_000n)).toBe(-1);
    expect(seen).toEqual(["a@1000", "b@3000"]);
    expect(platform.now).toBe(5_000n);
    expect(platform.wait(0xffffffffffffffffn)).toBe(7);
    expect(platform.now).toBe(9_000n);
  });

  it("takes a deadline of all ones (DEADLINE_NEVER) as a signed i64 from wasm", () => {
    const { platform } = setup();
    expect(panicOf(() => platform.wait(-1n))).toBe("wait: waiting forever, but no interrupt line is unmasked");
  });

  it("the clock never goes backwards and a read costs 1 µs", () => {
    const { platform } = setup();
    const a = platform.clock_monotonic();
    const b = platform.clock_monotonic();
    expect(b - a).toBe(1_000n);
    platform.wait(a - 10n);
    expect(platform.clock_monotonic()).toBeGreaterThan(b);
  });

  it("irq_unmask refuses a line no device owns", () => {
    const { platform } = setup();
    expect(panicOf(() => platform.irq_unmask(6))).toBe("irq: irq_unmask refused for line 0x00000006: not granted to the image");
  });
});
