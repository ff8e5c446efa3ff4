// Dependency resolution of components (pure logic): closure, order, binding devices by
// `compatible`, and the errors for a cycle, a missing provider, a missing device, two claimants.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Board } from "../scripts/lib/boards.js";
import { emulated, loadBoard } from "../scripts/lib/boards.js";
import { parseManifest, resolve, type Component } from "../scripts/lib/components.js";
import { resolveApp } from "../scripts/lib/apps.js";
import { entrySource } from "../scripts/lib/entry.js";
import { planImage } from "../scripts/lib/plan.js";

function component(name: string, layer: Component["layer"], requires: string[] = [], driver?: { binds: string[]; provides: string }): Component {
  return { name, layer, requires, binds: driver?.binds ?? [], provides: driver?.provides, className: driver ? "Driver" : undefined, irqRoles: driver ? ["irq"] : [], takesClock: false, heap: 0, dir: `kernel/${name}` };
}

const board = {
  name: "demo",
  chosen: {},
  devices: [
    { name: "uart0", compatible: "arm,pl011", base: 0x4000c000, size: 0x1000, irqs: { irq: 5 } },
    { name: "gpioa", compatible: "arm,pl061", base: 0x40004000, size: 0x1000, irqs: { irq: 0 } },
  ],
} as unknown as Board;

function components(...list: Component[]): Map<string, Component> {
  return new Map(list.map((c) => [c.name, c]));
}

const BASE = component("base", "base");
const DEV = component("dev", "faction", ["base"]);
const PL011 = component("uart/arm,pl011", "driver", ["dev"], { binds: ["arm,pl011"], provides: "uart" });
const PL061 = component("gpio/arm,pl061", "driver", ["dev"], { binds: ["arm,pl061"], provides: "gpio" });

describe("resolve", () => {
  it("takes the closure of the app's requirements, dependencies first", () => {
    const r = resolve("echo", board, components(BASE, DEV, PL011, PL061, component("echo", "app", ["base", "device:uart"])));
    expect(r.components.map((c) => c.name)).toEqual(["base", "dev", "uart/arm,pl011", "echo"]);
    expect(r.bindings.map((b) => [b.deviceClass, b.device.name, b.driver.name])).toEqual([["uart", "uart0", "uart/arm,pl011"]]);
    expect(r.why.get("uart/arm,pl011")).toBe("echo (device:uart)");
    expect(r.why.get("dev")).toBe("uart/arm,pl011");
  });

  it("leaves out everything the app does not need", () => {
    const r = resolve("hello", board, components(BASE, DEV, PL011, PL061, component("hello", "app", ["base"])));
    expect(r.components.map((c) => c.name)).toEqual(["base", "hello"]);
    expect(r.bindings).toEqual([]);
  });

  it("adds components named with --with, and says so", () => {
    const r = resolve("hello", board, components(BASE, DEV, PL011, component("hello", "app", ["base"])), ["dev"]);
    expect(r.components.map((c) => c.name)).toEqual(["base", "dev", "hello"]);
    expect(r.why.get("dev")).toBe("--with");
  });

  it("shares one device between components that need the same class", () => {
    const consoleFaction = component("console", "faction", ["device:uart"]);
    const r = resolve("echo", board, components(BASE, DEV, PL011, consoleFaction, component("echo", "app", ["console", "device:uart"])));
    expect(r.bindings).toHaveLength(1);
  });

  it("shows a cycle", () => {
    const all = components(component("a", "faction", ["b"]), component("b", "faction", ["c"]), component("c", "faction", ["a"]), component("app", "app", ["a"]));
    expect(() => resolve("app", board, all)).toThrow("dependency cycle: a -> b -> c -> a");
  });

  it("names a requirement no component provides", () => {
    expect(() => resolve("app", board, components(BASE, component("app", "app", ["net"])))).toThrow("app requires 'net', which no component provides; components: app, base");
  });

  it("lists the board's devices when a device class is missing", () => {
    const all = components(BASE, DEV, PL011, component("blinky", "app", ["device:led"]));
    expect(() => resolve("blinky", board, all)).toThrow(
      "blinky needs a device of class 'led', but board demo has no device a 'led' driver binds; its devices: uart0 (arm,pl011), gpioa (arm,pl061)",
    );
  });

  it("refuses two drivers claiming one device", () => {
    const other = component("uart/other", "driver", ["dev"], { binds: ["arm,pl011"], provides: "uart" });
    const all = components(BASE, DEV, PL011, other, component("echo", "app", ["device:uart"]));
    expect(() => resolve("echo", board, all)).toThrow("drivers uart/arm,pl011 and uart/other both bind 'arm,pl011' (device uart0)");
  });
});

describe("anyk components", () => {
  it("lists the components of kernel/ with layer, requirements and folder", async () => {
    const { anyk } = await import("./helpers/cli.js");
    const r = await anyk(["components", "--json"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ name: string; layer: string; requires: string[]; folder: string }>;
    expect(rows.find((c) => c.name === "base")).toMatchObject({ layer: "base", requires: [], folder: "kernel/base" });
    expect(rows.find((c) => c.name === "hello")).toMatchObject({ layer: "app", requires: ["base", "api"], folder: "kernel/apps/hello" });
  });

  it("binds the board's chosen device for a class, not the first one", () => {
    const twoUarts = { ...board, chosen: { uart: "uart1" }, devices: [...board.devices, { name: "uart1", compatible: "arm,pl011", base: 0x4000d000, size: 0x1000, irqs: { irq: 6 } }] } as unknown as Board;
    const r = resolve("echo", twoUarts, components(BASE, DEV, PL011, component("echo", "app", ["device:uart"])));
    expect(r.bindings.map((b) => b.device.name)).toEqual(["uart1"]);
  });

  it("binds a device class named with --with device:<class>", () => {
    const r = resolve("hello", board, components(BASE, DEV, PL011, component("hello", "app", ["base"])), ["device:uart"]);
    expect(r.bindings.map((b) => b.device.name)).toEqual(["uart0"]);
    expect(r.components.map((c) => c.name)).toContain("uart/arm,pl011");
  });

  it("names the interrupt line a driver needs and the board's device lacks", () => {
    const split = { ...PL011, irqRoles: ["rx", "tx"] };
    expect(() => resolve("echo", board, components(BASE, DEV, split, component("echo", "app", ["device:uart"])))).toThrow(
      "driver uart/arm,pl011 needs interrupt lines 'rx', 'tx' of device uart0 on board demo, whose 'irq' has: irq",
    );
  });
});

describe("the generated entry", () => {
  it("passes a timer driver its device's input clock from the board file", () => {
    // netduinoplus2's TIM2: base 0x40000000, line 28, counted at the 16 MHz HSI on the chip, at 1 GHz in QEMU.
    const plan = planImage(resolveApp("test/apps/timer-edges"), loadBoard("netduinoplus2"));
    expect(entrySource(plan)).toContain("new Stm32Timer(0x40000000, 16000000, 28);");
    const inQemu = planImage(resolveApp("test/apps/timer-edges"), emulated(loadBoard("netduinoplus2")));
    expect(entrySource(inQemu)).toContain("new Stm32Timer(0x40000000, 1000000000, 28);");
  });

  it("passes no clock to a driver that does not ask for one", () => {
    const plan = planImage(resolveApp("echo"), loadBoard("lm3s6965evb"));
    expect(entrySource(plan)).toContain("new Pl011(0x4000C000, 5);");
  });
});

describe("an app's optimisation goal", () => {
  const manifest = (fields: object) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-optimize-"));
    const file = path.join(dir, "component.json");
    fs.writeFileSync(file, JSON.stringify({ name: "demo", layer: "app", requires: ["base"], ...fields }));
    return file;
  };

  it("takes 'optimize' from the app's manifest, size when it says nothing, and --optimize over both", () => {
    expect(parseManifest(manifest({ optimize: "speed" })).optimize).toBe("speed");
    expect(parseManifest(manifest({})).optimize).toBeUndefined();
    expect(planImage(resolveApp("hello"), loadBoard("lm3s6965evb")).optimize).toBe("size");
    expect(planImage(resolveApp("test/bench/aot"), loadBoard("lm3s6965evb")).optimize).toBe("speed");
    expect(planImage(resolveApp("test/bench/aot"), loadBoard("lm3s6965evb"), [], undefined, "size").optimize).toBe("size");
  });

  it("refuses a goal it does not know, and the field on a component that is not an app", () => {
    const bad = manifest({ optimize: "fast" });
    expect(() => parseManifest(bad)).toThrow(`${bad}: field 'optimize' must be one of "size", "speed", got "fast"`);
    const faction = manifest({ layer: "faction", optimize: "speed" });
    expect(() => parseManifest(faction)).toThrow(`${faction}: field 'optimize' belongs to apps only`);
  });
});
