// Bring-up: the register steps computed from the board files match the reference manuals' figures,
// and the stricter-than-real userspace models catch each step left out (`anyk run --omit-step`):
// an ungated device faults, an unrouted TX pin sends nothing, a wrong baud sends garbage.
import { describe, expect, it } from "vitest";
import { loadBoard } from "../scripts/lib/boards.js";
import { bringupSteps } from "../scripts/lib/bringup.js";
import { anyk } from "./helpers/cli.js";

const stepAt = (board: string, reg: number) => bringupSteps(loadBoard(board), []).find((s) => s.reg === reg);

describe("bring-up steps from the board files", () => {
  it("LM3S6965: the 8 MHz crystal first, UART0's gate in RCGC1, GPIOA's in RCGC2, PA0/PA1 to the UART, 115200 baud from 8 MHz", () => {
    // DS-LM3S6965, Clock Control: RCC 0x400FE060 (MOSCDIS bit 0, XTAL 10:6 = 0xE for 8 MHz, USESYSDIV 22),
    // RCC2 0x400FE070 (USERCC2 31, SYSDIV2 28:23, PWRDN2 13, BYPASS2 11, OSCSRC2 6:4 = 0 main oscillator).
    const steps = bringupSteps(loadBoard("lm3s6965evb"), []);
    expect(steps[0]).toMatchObject({ reg: 0x400fe060, op: "set", value: 0xe << 6 });
    expect(steps[0].mask & 1).toBe(1);
    expect(steps[1].op).toBe("delay");
    expect(steps[2]).toMatchObject({ reg: 0x400fe070, value: (1 << 31 | 24 << 23 | 1 << 13 | 1 << 11) >>> 0 });
    // RCGC1 0x400FE104 bit 0 = UART0, RCGC2 0x400FE108 bit 0 = GPIOA; GPIOAFSEL 0x420, GPIODEN 0x51C.
    expect(stepAt("lm3s6965evb", 0x400fe104)).toMatchObject({ mask: 1, value: 1 });
    expect(stepAt("lm3s6965evb", 0x400fe108)).toMatchObject({ mask: 1, value: 1 });
    expect(stepAt("lm3s6965evb", 0x40004420)).toMatchObject({ mask: 3, value: 3 });
    expect(stepAt("lm3s6965evb", 0x4000451c)).toMatchObject({ mask: 3, value: 3 });
    // 8 MHz / (16 x 115200) = 4.3403: IBRD 4, FBRD round(0.3403 x 64) = 22.
    expect(stepAt("lm3s6965evb", 0x4000c024)?.value).toBe(4);
    expect(stepAt("lm3s6965evb", 0x4000c028)?.value).toBe(22);
  });

  it("STM32F405: USART1's gate in APB2ENR, PA9/PA10 to AF7, BRR for 115200 from the 16 MHz HSI", () => {
    expect(stepAt("netduinoplus2", 0x40023844)).toMatchObject({ mask: 1 << 4, value: 1 << 4 });
    expect(stepAt("netduinoplus2", 0x40023830)).toMatchObject({ mask: 1, value: 1 });
    // MODER bits 19:18 and 21:20 = 0b10; AFRH nibbles 1 and 2 = 7.
    expect(stepAt("netduinoplus2", 0x40020000)).toMatchObject({ mask: 0xf << 18, value: 0xa << 18 });
    expect(stepAt("netduinoplus2", 0x40020024)).toMatchObject({ mask: 0xff0, value: 0x770 });
    // 16 MHz / 115200 = 138.9: BRR 139 (mantissa 8, fraction 11).
    expect(stepAt("netduinoplus2", 0x40011008)?.value).toBe(139);
  });

  it("nRF51: HFCLK started and waited for first, TX on P0.24, RX on P0.25, BAUDRATE as the manual's table", () => {
    const steps = bringupSteps(loadBoard("microbit"), []);
    expect(steps[0]).toMatchObject({ reg: 0x40000000, value: 1, op: "set" });
    expect(steps[1]).toMatchObject({ reg: 0x40000100, mask: 1, value: 1, op: "wait" });
    expect(stepAt("microbit", 0x4000250c)?.value).toBe(24);
    expect(stepAt("microbit", 0x40002514)?.value).toBe(25);
    // nRF51 RM, BAUDRATE: Baud115200 = 0x01D7E000.
    expect(stepAt("microbit", 0x40002524)?.value).toBe(0x01d7e000);
  });

  it("CMSDK on the AN385: BAUDDIV = 25 MHz / 115200", () => {
    expect(stepAt("mps2-an385", 0x40004010)?.value).toBe(217);
  });

  it("give the bound GPIO its gate and the LED pin its digital enable (EK-LM3S6965 PF0)", () => {
    const board = loadBoard("lm3s6965evb");
    const steps = bringupSteps(board, [board.devices.find((d) => d.name === "gpiof")!]);
    expect(steps.find((s) => s.reg === 0x400fe108)).toMatchObject({ value: 1 }); // console phase: GPIOA
    expect(steps.find((s) => s.reg === 0x400fe108 && s.phase === "devices")).toMatchObject({ value: 1 << 5 });
    expect(steps.find((s) => s.reg === 0x4002551c)).toMatchObject({ mask: 1, value: 1 });
  });
});

const run = (app: string, board: string, omit: string) => anyk(["run", app, "--board", board, "--omit-step", omit], { timeoutMs: 60_000 });
const GREETING = (board: string) => `Hello from anykernel on ${board}`;

describe("the strict models catch a missing step", () => {
  it.each([
    ["lm3s6965evb", "hello", "uart0 clock gate", "uart0 (arm,pl011)"],
    ["lm3s6965evb", "hello", "gpioa clock gate", "gpioa (arm,pl061)"],
    ["lm3s6965evb", "blinky", "gpiof clock gate", "gpiof (arm,pl061)"],
    ["netduinoplus2", "hello", "usart1 clock gate", "usart1 (st,stm32-usart)"],
  ])("%s %s without the %s: a panic naming %s", async (board, app, omit, device) => {
    const result = await run(app, board, omit);
    expect(result.code).toBe(101);
    expect(result.stderr).toContain(`panic: gate: ${device}`);
    expect(result.stderr).toContain("clock gate off");
  }, 90_000);

  it.each([
    ["lm3s6965evb", "GPIOAFSEL"],
    ["netduinoplus2", "AF7"],
    ["netduinoplus2", "MODER"],
    ["microbit", "tx on gpio pin 24"],
  ])("%s without the step '%s': the pin is not the UART's, so nothing reaches the terminal", async (board, omit) => {
    const result = await run("hello", board, omit);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
  }, 90_000);

  it.each([
    ["lm3s6965evb", "IBRD"],
    ["netduinoplus2", "BRR"],
    ["microbit", "BAUDRATE"],
    ["mps2-an385", "BAUDDIV"],
  ])("%s without the step '%s': the line runs at the wrong rate and the terminal shows garbage", async (board, omit) => {
    const result = await run("hello", board, omit);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("Hello");
    expect(Buffer.byteLength(result.stdout, "latin1")).toBeGreaterThan(10);
  }, 90_000);

  it.each(["lm3s6965evb", "netduinoplus2", "microbit", "mps2-an385"])("%s with every step: the greeting", async (board) => {
    const result = await anyk(["run", "hello", "--board", board], { timeoutMs: 60_000 });
    expect(result.stdout).toContain(GREETING(board));
  }, 90_000);

  it("names the steps when --omit-step matches none", async () => {
    const result = await run("hello", "mps2-an385", "no such step");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("matches no bring-up step");
    expect(result.stderr).toContain("BAUDDIV");
  }, 90_000);
});

