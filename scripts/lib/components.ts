// The component model: every folder under kernel/{base,factions,drivers,apps} with a
// component.json is a component. Resolution takes an app, the closure of what it requires, and
// binds each device class it needs to a device of the board through the drivers' `binds`.
import fs from "node:fs";
import path from "node:path";
import type { Board, Device } from "./boards.js";
import { UserError } from "./errors.js";
import { KERNEL_DIR, shown } from "./paths.js";
import { anykernelPackages, currentProject } from "./project.js";

export const LAYERS = ["base", "hil", "faction", "driver", "app"] as const;
export type Layer = (typeof LAYERS)[number];

export interface Component {
  name: string;
  layer: Layer;
  /** Component names, or "device:<class>" for a device the component needs bound. */
  requires: string[];
  /** Drivers: the `compatible` strings they bind to, and the device class they provide. */
  binds: string[];
  provides?: string;
  /** Drivers: the exported class the entry instantiates, and the interrupt roles it takes, in constructor order. */
  className?: string;
  irqRoles: string[];
  /** Drivers: whether the constructor takes the device's input clock (Hz) after its base address. */
  takesClock: boolean;
  /** Heap bytes the component allocates at most; the image's heap cap is the sum over its components. */
  heap: number;
  /** A budget for `anyk size`, in bytes of ROM. */
  maxSize?: number;
  /** Apps: what the kernel's C is compiled for, size (-Oz, the default) or speed. */
  optimize?: Optimize;
  dir: string;
  /** Where it came from: "toolchain", "project", or "package <name>". */
  origin?: string;
}

export interface Binding {
  device: Device;
  driver: Component;
  deviceClass: string;
}

export interface Resolution {
  /** In initialisation order: every component after the ones it requires. */
  components: Component[];
  bindings: Binding[];
  /** Why each component is in the image: the first component (or "--with") that required it. */
  why: Map<string, string>;
}

export class ResolveError extends UserError {}

/** An app's "optimize": the kernel's C for the smallest image, or for loops as fast as C's (a larger image). */
export const OPTIMIZE_CHOICES = ["size", "speed"] as const;
export type Optimize = (typeof OPTIMIZE_CHOICES)[number];

const MANIFEST_FIELDS = ["$comment", "name", "layer", "requires", "binds", "provides", "class", "irqs", "clock", "heap", "max-size", "optimize"];

export function parseManifest(file: string): Component {
  const fail = (field: string, problem: string): never => {
    throw new UserError(`${shown(file)}: field '${field}' ${problem}`);
  };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${shown(file)}: not valid JSON: ${(err as Error).message}`);
  }
  for (const key of Object.keys(raw)) {
    if (!MANIFEST_FIELDS.includes(key)) {
      fail(key, `is not a component field; valid fields: ${MANIFEST_FIELDS.join(", ")}`);
    }
  }
  if (typeof raw.name !== "string" || !raw.name) fail("name", "must be a non-empty string");
  if (!LAYERS.includes(raw.layer as Layer)) fail("layer", `must be one of ${LAYERS.join(", ")}, got ${JSON.stringify(raw.layer)}`);
  const strings = (key: string): string[] => {
    const v = raw[key] ?? [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string" || !s)) fail(key, "must be an array of non-empty strings");
    return v as string[];
  };
  const component: Component = { name: raw.name as string, layer: raw.layer as Layer, requires: strings("requires"), binds: strings("binds"), irqRoles: strings("irqs"), takesClock: false, heap: 0, dir: path.dirname(file) };
  if (raw.provides !== undefined) {
    if (typeof raw.provides !== "string" || !raw.provides) fail("provides", "must be a device class name such as \"uart\"");
    component.provides = raw.provides as string;
  }
  if ((component.layer === "driver") !== (component.binds.length > 0 && component.provides !== undefined)) {
    fail(component.layer === "driver" ? "binds" : "layer", "a driver (and only a driver) has both 'binds' and 'provides'");
  }
  if (component.layer === "driver") {
    if (typeof raw.class !== "string" || !/^[A-Za-z_]\w*$/.test(raw.class)) fail("class", "must name the driver class its module exports, such as \"Pl011\"");
    component.className = raw.class as string;
    if (raw.clock !== undefined && typeof raw.clock !== "boolean") fail("clock", "must be true or false");
    component.takesClock = raw.clock === true;
  } else {
    for (const key of ["class", "irqs", "clock"]) if (raw[key] !== undefined) fail(key, "belongs to drivers only");
  }
  if (raw.heap !== undefined) {
    if (!Number.isInteger(raw.heap) || (raw.heap as number) < 0) fail("heap", "must be a number of bytes (0 or more)");
    component.heap = raw.heap as number;
  }
  if (raw.optimize !== undefined) {
    if (component.layer !== "app") fail("optimize", "belongs to apps only");
    if (!OPTIMIZE_CHOICES.includes(raw.optimize as Optimize)) fail("optimize", `must be one of ${OPTIMIZE_CHOICES.map((c) => `"${c}"`).join(", ")}, got ${JSON.stringify(raw.optimize)}`);
    component.optimize = raw.optimize as Optimize;
  }
  if (raw["max-size"] !== undefined) {
    if (!Number.isInteger(raw["max-size"]) || (raw["max-size"] as number) <= 0) fail("max-size", "must be a positive number of bytes");
    component.maxSize = raw["max-size"] as number;
  }
  return component;
}

/** A folder of components and where it came from. */
export interface ComponentSource {
  dir: string;
  origin: string;
}

/**
 * The three places components come from: the toolchain's kernel/, the project's folders named in
 * anykernel.json's components, and the installed npm packages whose package.json has an
 * "anykernel" field naming their component folders ({ "components": ["drivers"] }).
 */
export function componentSources(project = currentProject()): ComponentSource[] {
  const sources: ComponentSource[] = [{ dir: KERNEL_DIR, origin: "toolchain" }];
  if (!project) return sources;
  for (const dir of project.components) {
    if (!fs.existsSync(dir)) throw new UserError(`${shown(project.file)}: field 'components' names ${shown(dir)}, which does not exist`);
    sources.push({ dir, origin: "project" });
  }
  for (const pkg of anykernelPackages(project)) {
    const folders = pkg.fields.components;
    if (folders === undefined) continue;
    if (!Array.isArray(folders) || !folders.every((f) => typeof f === "string")) throw new UserError(`${shown(pkg.manifest)}: field 'anykernel.components' must be an array of folder names like ["drivers"]`);
    for (const folder of folders as string[]) sources.push({ dir: path.join(pkg.dir, folder), origin: `package ${pkg.name}` });
  }
  return sources;
}

/**
 * Every component of every source, keyed by name. A project's or package's component replaces the
 * toolchain's of the same name (its own driver for a chip the toolchain covers); a name defined
 * twice outside the toolchain names both places.
 */
export function loadAllComponents(sources = componentSources()): Map<string, Component> {
  const found = new Map<string, Component>();
  for (const source of sources) {
    for (const c of loadComponents(source.dir).values()) {
      c.origin = source.origin;
      const clash = found.get(c.name);
      if (clash && clash.origin !== "toolchain") throw new UserError(`component '${c.name}' is defined twice: in ${shown(clash.dir)} (${clash.origin}) and in ${shown(c.dir)} (${c.origin}); rename one`);
      found.set(c.name, c);
    }
  }
  return found;
}

/** Every component.json under one folder, keyed by component name. */
export function loadComponents(root = KERNEL_DIR): Map<string, Component> {
  const found = new Map<string, Component>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const sub = path.join(dir, entry.name);
      const manifest = path.join(sub, "component.json");
      if (fs.existsSync(manifest)) {
        const c = parseManifest(manifest);
        const clash = found.get(c.name);
        if (clash) throw new UserError(`${shown(manifest)}: component name '${c.name}' is already used by ${shown(clash.dir)}`);
        found.set(c.name, c);
      }
      walk(sub);
    }
  };
  if (fs.existsSync(root)) walk(root);
  if (fs.existsSync(path.join(root, "component.json"))) throw new UserError(`${shown(root)}: the kernel folder itself is not a component`);
  return found;
}

/** The driver that binds a board device, or undefined; two drivers claiming it is an error. */
function driverFor(device: Device, drivers: Component[]): Component | undefined {
  const claiming = drivers.filter((d) => d.binds.includes(device.compatible));
  if (claiming.length > 1) {
    throw new ResolveError(`drivers ${claiming.map((d) => d.name).join(" and ")} both bind '${device.compatible}' (device ${device.name}); remove 'binds' from all but one`);
  }
  return claiming[0];
}

export function resolve(appName: string, board: Board, all: Map<string, Component>, extra: string[] = []): Resolution {
  const drivers = [...all.values()].filter((c) => c.layer === "driver");
  const order: Component[] = [];
  const why = new Map<string, string>();
  const bindings: Binding[] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];

  const bindClass = (deviceClass: string, requiredBy: string): Component => {
    // One device per class and image: a second component needing a 'uart' shares the first one's.
    const bound = bindings.find((b) => b.deviceClass === deviceClass);
    if (bound) return bound.driver;
    const taken = new Set(bindings.map((b) => b.device.name));
    const chosen = board.chosen?.[deviceClass];
    const candidates = board.devices.filter((d) => !taken.has(d.name) && (chosen === undefined || d.name === chosen));
    for (const device of candidates) {
      const driver = driverFor(device, drivers);
      if (driver?.provides === deviceClass) {
        const missing = driver.irqRoles.filter((role) => device.irqs[role] === undefined);
        if (missing.length) {
          throw new ResolveError(`driver ${driver.name} needs interrupt line${missing.length > 1 ? "s" : ""} ${missing.map((r) => `'${r}'`).join(", ")} of device ${device.name} on board ${board.name}, whose 'irq' has: ${Object.keys(device.irqs).join(", ") || "none"}`);
        }
        bindings.push({ device, driver, deviceClass });
        return driver;
      }
    }
    const devices = board.devices.map((d) => `${d.name} (${d.compatible})`).join(", ");
    const because = chosen ? ` (its chosen.${deviceClass} is ${chosen})` : "";
    // Named from the app down, so the user sees which of their choices brought the need in.
    const via = stack.length > 1 && stack[stack.length - 1] === requiredBy ? ` (via ${stack.slice(1).join(", ")})` : "";
    const who = via ? `${stack[0]}${via}` : requiredBy;
    throw new ResolveError(`${who} needs a device of class '${deviceClass}', but board ${board.name} has no device a '${deviceClass}' driver binds${because}; its devices: ${devices}`);
  };

  const visit = (name: string, requiredBy: string) => {
    const component = all.get(name);
    if (!component) {
      const known = [...all.keys()].sort().join(", ");
      throw new ResolveError(`${requiredBy} requires '${name}', which no component provides; components: ${known}`);
    }
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      throw new ResolveError(`dependency cycle: ${[...stack.slice(stack.indexOf(name)), name].join(" -> ")}`);
    }
    state.set(name, "visiting");
    stack.push(name);
    if (!why.has(name)) why.set(name, requiredBy);
    for (const req of component.requires) {
      if (req.startsWith("device:")) {
        const driver = bindClass(req.slice("device:".length), name);
        visit(driver.name, `${name} (${req})`);
      } else visit(req, name);
    }
    stack.pop();
    state.set(name, "done");
    order.push(component);
  };

  for (const name of extra) {
    // "--with device:uart" binds a device of that class as if the app required it.
    if (name.startsWith("device:")) visit(bindClass(name.slice("device:".length), "--with").name, `--with (${name})`);
    else visit(name, "--with");
  }
  visit(appName, "the app");
  return { components: order, bindings, why };
}
