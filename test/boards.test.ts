// Board descriptions: the four boards load, `anyk boards` lists them, and every kind of mistake in
// a board file is reported with the file and the field.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBoard } from "../scripts/lib/boards.js";
import { clockSource } from "../scripts/lib/firmware.js";
import { anyk, ROOT } from "./helpers/cli.js";

const BOARDS = ["lm3s6965evb", "microbit", "mps2-an385", "netduinoplus2"];

function boardText(name: string): string {
  return fs.readFileSync(path.join(ROOT, "boards", name, "board.json"), "utf8");
}

describe("the board files", () => {
  it.each(BOARDS)("%s parses, and its console is one of its devices", (name) => {
    const board = parseBoard(path.join(ROOT, "boards", name, "board.json"), boardText(name));
    expect(board.name).toBe(name);
    expect(board.devices.map((d) => d.name)).toContain(board.console);
    expect(board.memory.some((m) => m.kind === "flash")).toBe(true);
    expect(board.memory.some((m) => m.kind === "ram")).toBe(true);
  });

  it("hold the memory maps QEMU's machines have", () => {
    // Figures from QEMU 7.2's `info mtree` of each machine.
    const lm3s = parseBoard("boards/lm3s6965evb/board.json", boardText("lm3s6965evb"));
    expect(lm3s.memory.map((m) => [m.start, m.size])).toEqual([[0, 256 * 1024], [0x20000000, 64 * 1024]]);
    const microbit = parseBoard("boards/microbit/board.json", boardText("microbit"));
    expect(microbit.memory.find((m) => m.kind === "ram")?.size).toBe(16 * 1024);
    expect(microbit.devices.find((d) => d.name === microbit.console)?.base).toBe(0x40002000);
  });
});

describe("chip descriptions", () => {
  const chipBoard = (extra: Record<string, unknown>) =>
    parseBoard("boards/mine/board.json", JSON.stringify({ name: "mine", inherits: "lm3s6965", description: "my LM3S6965 board", console: "uart1", qemu: { machine: "lm3s6965evb" }, ...extra }));

  it("make a second board on a known chip a few lines: the chip's core, memory and devices", () => {
    const board = chipBoard({});
    expect(board.chip).toBe("lm3s6965");
    expect(board.cpu).toBe("cortex-m3");
    expect(board.clockHz).toBe(8_000_000);
    // The LM3S6965 datasheet's memory map: UART1 at 0x4000D000, interrupt 6.
    const uart1 = board.devices.find((d) => d.name === "uart1")!;
    expect([uart1.compatible, uart1.base, uart1.irqs.irq]).toEqual(["arm,pl011", 0x4000d000, 6]);
    expect(board.devices.map((d) => d.name)).toEqual(parseBoard("boards/lm3s6965evb/board.json", boardText("lm3s6965evb")).devices.map((d) => d.name));
  });

  it("let a board amend a device field by field and add its own", () => {
    const board = chipBoard({ devices: [{ name: "timer0", clock_hz: 50_000_000 }, { name: "extra", compatible: "arm,pl011", reg: { base: "0x50000000", size: "0x1000" }, irq: 40 }] });
    const timer0 = board.devices.find((d) => d.name === "timer0")!;
    expect([timer0.compatible, timer0.base, timer0.clockHz]).toEqual(["ti,stellaris-gptm", 0x40030000, 50_000_000]);
    expect(board.devices.at(-1)?.name).toBe("extra");
  });

  it("let a board inherit another board: its chip, console and pins, with fields changed", () => {
    const mine = parseBoard("boards/mine/board.json", JSON.stringify({ name: "mine", inherits: "lm3s6965evb", description: "slower console", baud: 57600 }));
    const parent = parseBoard("boards/lm3s6965evb/board.json", boardText("lm3s6965evb"));
    expect([mine.chip, mine.console, mine.baud, parent.baud]).toEqual(["lm3s6965", "uart0", 57600, 115200]);
    expect(mine.pins).toEqual(parent.pins);
    expect(mine.devices.map((d) => d.name)).toEqual(parent.devices.map((d) => d.name));
  });

  it("name the field and the known chips and boards when the parent is unknown", () => {
    expect(() => chipBoard({ inherits: "lm3s9999" })).toThrow(/boards\/mine\/board.json: field 'inherits' must name a chip description \(cmsdk-an385, lm3s6965, nrf51, stm32f405\) or a board \(lm3s6965evb, microbit, mps2-an385, netduinoplus2\), got "lm3s9999"/);
  });
});

describe("anyk boards", () => {
  it("lists the four boards", async () => {
    const r = await anyk(["boards"]);
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split("\n").slice(1).map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(BOARDS);
  });

  it("prints JSON with --json", async () => {
    const r = await anyk(["boards", "--json"]);
    expect(r.code).toBe(0);
    const boards = JSON.parse(r.stdout) as Array<{ name: string; cpu: string }>;
    expect(boards.map((b) => [b.name, b.cpu])).toEqual([
      ["lm3s6965evb", "cortex-m3"],
      ["microbit", "cortex-m0"],
      ["mps2-an385", "cortex-m3"],
      ["netduinoplus2", "cortex-m4"],
    ]);
  });
});

describe("a malformed board file", () => {
  const file = "boards/demo/board.json";
  // A board that stands alone (no chip to inherit): lm3s6965evb's file with its chip's fields written in.
  const good = () => {
    const { inherits, ...board } = JSON.parse(boardText("lm3s6965evb").replace('"lm3s6965evb"', '"demo"'));
    const { $comment, name, ...chip } = JSON.parse(fs.readFileSync(path.join(ROOT, "chips", `${inherits}.json`), "utf8"));
    return { ...chip, ...board } as Record<string, any>;
  };
  const error = (board: unknown) => {
    try {
      parseBoard(file, typeof board === "string" ? board : JSON.stringify(board));
    } catch (err) {
      return (err as Error).message;
    }
    return "no error";
  };

  it("accepts the good one", () => expect(error(good())).toBe("no error"));
  it("names broken JSON", () => expect(error("{ name: demo")).toMatch(/^boards\/demo\/board.json: not valid JSON: /));
  it("names a missing field", () => {
    const b = good();
    delete b.cpu;
    expect(error(b)).toBe("boards/demo/board.json: field 'cpu' must be one of cortex-m0, cortex-m3, cortex-m4, got nothing (the field is missing)");
  });
  it("names an unknown field", () => {
    expect(error({ ...good(), colour: "red" })).toBe(
      "boards/demo/board.json: field 'colour' is not a board field; valid fields here: $comment, name, inherits, description, cpu, clock_hz, memory, console, timebase, devices, chosen, leds, qemu, loader, uf2_family, pinmux, clock_bringup, baud, pins, gpio_pins, bringup, install, net, interp_arena",
    );
  });
  it("names an interpreter arena too small to hold the engine's stacks", () => {
    expect(error({ ...good(), interp_arena: 100 })).toBe("boards/demo/board.json: field 'interp_arena' must be at least 1K and a multiple of 8 bytes, got 100");
  });
  it("names a chosen device the board does not have", () => {
    expect(error({ ...good(), chosen: { uart: "uart9" } })).toMatch(/^boards\/demo\/board.json: field 'chosen.uart' must name one of the board's devices \(.*\), got "uart9"$/);
  });
  it("names an LED pin out of range", () => {
    const b = good();
    expect(error({ ...b, leds: [{ device: b.devices[0].name, pin: 40 }] })).toBe("boards/demo/board.json: field 'leds[0].pin' must be a pin number 0..31, got 40");
  });
  it("names a bad address deep inside", () => {
    const b = good();
    b.devices[2].reg.base = "0xZZ";
    expect(error(b)).toBe(`boards/demo/board.json: field 'devices[2].reg.base' must be an integer or a string like "0x20000000" within 32 bits, got "0xZZ"`);
  });
  it("names a register window that is not whole words", () => {
    const b = good();
    b.devices[1].reg.base = "0x40000002";
    expect(error(b)).toBe("boards/demo/board.json: field 'devices[1].reg.base' must be a multiple of 4 (a register window starts on a word), got 0x40000002");
    b.devices[1].reg.base = "0x40000000";
    b.devices[1].reg.size = 4094;
    expect(error(b)).toBe("boards/demo/board.json: field 'devices[1].reg.size' must be a multiple of 4 (a register window is whole words), got 4094");
  });
  it("names a register window over RAM, which the stub's MMIO may not treat as registers", () => {
    const b = good();
    b.devices[1].reg.base = "0x20000100";
    expect(error(b)).toMatch(/^boards\/demo\/board.json: field 'devices\[1\].reg' must not overlap memory region "\w+" \(0x20000000 \+ \d+\): a device window is registers, not memory$/);
  });
  it("names a console that is not a device", () => {
    expect(error({ ...good(), console: "uart9" })).toMatch(/^boards\/demo\/board.json: field 'console' must name one of the board's devices \(uart0, .*\), got "uart9"$/);
  });
  it("names a timebase that is not a device, is the console, or has no single interrupt line", () => {
    const b = good();
    expect(error({ ...b, timebase: "timer9" })).toMatch(/^boards\/demo\/board.json: field 'timebase' must name one of the board's devices \(uart0, .*\), got "timer9"$/);
    expect(error({ ...b, timebase: "uart0" })).toBe(`boards/demo/board.json: field 'timebase' must be a timer, not the console device "uart0"`);
    delete b.devices.find((d: { name: string }) => d.name === "timer3").irq;
    expect(error({ ...b, timebase: "timer3" })).toBe(`boards/demo/board.json: field 'timebase' must name a device with one interrupt line, and "timer3" has 0`);
  });
  it("keeps the timebase from drivers and LEDs: the stub owns it", () => {
    const b = good();
    const timer = b.devices.find((d: { compatible: string }) => d.compatible === "ti,stellaris-gptm");
    const parsed = parseBoard(file, JSON.stringify({ ...b, timebase: timer.name }));
    expect(parsed.timebase?.name).toBe(timer.name);
    expect(parsed.devices.map((d) => d.name)).not.toContain(timer.name);
    expect(error({ ...b, timebase: timer.name, leds: [{ device: timer.name, pin: 1 }] })).toMatch(new RegExp(`field 'leds\\[0\\].device' must name one of the board's devices \\(.*\\), got "${timer.name}"$`));
    // The stub has a clock driver for the nRF51 TIMER only: a Stellaris timer is refused at build.
    expect(() => clockSource(parsed)).toThrow(`boards/demo/board.json: timebase device '${timer.name}' is 'ti,stellaris-gptm', which the stub has no clock driver for (it has: nordic,nrf51-timer)`);
  });
  it("names an interrupt line out of range", () => {
    const b = good();
    b.devices[0].irq = 300;
    expect(error(b)).toBe("boards/demo/board.json: field 'devices[0].irq' must be an interrupt line 0..239, got 300");
  });
  it("names a device clock that is not positive", () => {
    const b = good();
    b.devices[0].clock_hz = 0;
    expect(error(b)).toBe("boards/demo/board.json: field 'devices[0].clock_hz' must be positive");
  });
  it("gives a device the board's clock unless it names its own", () => {
    const b = good();
    b.devices[1].clock_hz = 32768;
    const parsed = parseBoard(file, JSON.stringify(b));
    expect(parsed.devices[0].clockHz).toBe(b.clock_hz);
    expect(parsed.devices[1].clockHz).toBe(32768);
  });
  it("names a name that does not match the folder", () => {
    expect(error({ ...good(), name: "other" })).toBe(`boards/demo/board.json: field 'name' must match its folder 'demo', got "other"`);
  });

  it("stops the CLI with the message and exit code 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-boards-"));
    fs.mkdirSync(path.join(dir, "demo"));
    const b = good();
    b.memory[1].kind = "sram";
    fs.writeFileSync(path.join(dir, "demo", "board.json"), JSON.stringify(b));
    const r = await anyk(["boards"], { env: { ANYK_BOARDS_DIR: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`anyk: error: ${path.join(dir, "demo", "board.json")}: field 'memory[1].kind' must be one of flash, ram, got "sram"\n`);
    const build = await anyk(["build", "hello", "--board", "demo"], { env: { ANYK_BOARDS_DIR: dir, ANYK_BUILD_DIR: path.join(dir, "build") } });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain("field 'memory[1].kind'");
    expect(fs.existsSync(path.join(dir, "build"))).toBe(false);
  });
});

describe("a board's loader layout", () => {
  // A board that stands alone (no chip to inherit): lm3s6965evb's file with its chip's fields written in.
  const good = () => {
    const { inherits, ...board } = JSON.parse(boardText("lm3s6965evb").replace('"lm3s6965evb"', '"demo"'));
    const { $comment, name, ...chip } = JSON.parse(fs.readFileSync(path.join(ROOT, "chips", `${inherits}.json`), "utf8"));
    return { ...chip, ...board } as Record<string, any>;
  };
  const error = (board: unknown) => {
    try {
      parseBoard("boards/demo/board.json", JSON.stringify(board));
    } catch (err) {
      return (err as Error).message;
    }
    return "no error";
  };
  it("refuses areas that overlap, naming both", () => {
    const loader = { medium: "ram", bootloader_ram: { start: "0x20000000", size: "8K" }, image_ram: { start: "0x20001000", size: "4K" }, slot: { start: "0x20004000", size: "4K" }, staging: { start: "0x20008000", size: "4K" } };
    expect(error({ ...good(), loader })).toBe("boards/demo/board.json: field 'loader.image_ram' overlaps loader.bootloader_ram");
  });
  it("refuses a medium other than flash or ram", () => {
    const loader = { medium: "eeprom", bootloader_ram: { start: "0x20000000", size: "1K" }, image_ram: { start: "0x20001000", size: "1K" }, slot: { start: "0x20002000", size: "1K" }, staging: { start: "0x20003000", size: "1K" } };
    expect(error({ ...good(), loader })).toBe('boards/demo/board.json: field \'loader.medium\' must be one of flash, ram, got "eeprom"');
  });
});
