// What goes into one image: the components the app needs (the closure of its requirements plus
// --with), the board devices their drivers bind, the heap cap, and the MMIO grants that follow.
import fs from "node:fs";
import path from "node:path";
import type { App } from "./apps.js";
import type { Board, Device } from "./boards.js";
import { appApiComponents } from "./app-api.js";
import { loadAllComponents, parseManifest, resolve, type Component, type Optimize, type Resolution } from "./components.js";
import { UserError } from "./errors.js";
import { shown } from "./paths.js";
import { currentProject } from "./project.js";
import type { NetSettings } from "./net-settings.js";
import { RUNTIME_FACTS, type Runtime } from "./runtimes.js";

export interface ImagePlan {
  app: App;
  board: Board;
  /** Components named with --with, as given. */
  extra: string[];
  resolution: Resolution;
  /** The app's own component (its manifest, or the default: requires base). */
  appComponent: Component;
  /** Heap bytes the image may allocate: its components' budgets, the project's heap and the runtime's own. */
  heapCap: number;
  /** The kernel heap's runtime. */
  runtime: Runtime;
  /** The devices whose register windows and interrupt lines the image is granted. */
  grants: Device[];
  /** What the kernel's C is compiled for: --optimize, else the app's "optimize", else size. */
  optimize: Optimize;
  /** The network interface's static configuration (anykernel.json's, else the board file's), when the image has the net faction. */
  net?: NetSettings;
}

/** The app's component: kernel/apps/<name>/component.json, or one beside a test app's main.ts. */
function appComponentOf(app: App, all: Map<string, Component>): Component {
  const dir = path.dirname(app.mainFile);
  const known = [...all.values()].find((c) => c.dir === dir);
  const manifest = path.join(dir, "component.json");
  const c: Component = known
    ? { ...known }
    : fs.existsSync(manifest)
      ? parseManifest(manifest)
      : { name: app.name, layer: "app", requires: ["base"], binds: [], irqRoles: [], takesClock: false, heap: 0, dir };
  if (c.layer !== "app") throw new UserError(`${shown(manifest)}: field 'layer' must be "app" for an app folder, got "${c.layer}"`);
  // An app that imports the app API needs its components, heap budgets and devices included.
  const sources = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
  const needed = appApiComponents(sources).filter((name) => !c.requires.includes(name));
  if (needed.length) c.requires = [...c.requires, ...needed];
  return c;
}

export function planImage(app: App, board: Board, extra: string[] = [], runtime?: Runtime, optimize?: Optimize): ImagePlan {
  const all = loadAllComponents();
  const appComponent = appComponentOf(app, all);
  const namesake = all.get(appComponent.name);
  if (namesake && namesake.layer !== "app" && namesake.dir !== appComponent.dir) throw new UserError(`app '${appComponent.name}' (${shown(appComponent.dir)}) has the name of the component in ${shown(namesake.dir)}; rename the app's folder (or its component.json's name)`);
  if (appComponent.layer !== "app") throw new UserError(`${shown(appComponent.dir)}: is a ${appComponent.layer} component, not an app`);
  const components = new Map(all);
  components.set(appComponent.name, appComponent);
  const project = currentProject();
  const settings = project?.net ?? board.net;
  // An app on a DHCP-configured network carries the DHCP client; others do not.
  const netExtra = settings?.dhcp && appUsesNet(appComponent, components) && !extra.includes("net-dhcp") ? ["net-dhcp"] : [];
  const resolution = resolve(appComponent.name, board, components, [...extra, ...netExtra]);
  const chosen = runtime ?? project?.runtime ?? "bump";
  const budgets = resolution.components.reduce((sum, c) => sum + c.heap, 0) + (project?.heap ?? 0);
  // A runtime's own heap (TLSF's root) only where there is a heap to manage.
  const heapCap = budgets > 0 ? budgets + RUNTIME_FACTS[chosen].heapOverhead : 0;
  const usesNet = resolution.components.some((c) => c.name === "net");
  const net = usesNet ? settings : undefined;
  if (usesNet && net === undefined) {
    throw new UserError(`app '${app.name}' uses the net faction, but neither ${project ? shown(project.file) : "anykernel.json"} nor ${shown(board.file)} gives 'net' (address, mask, gateway), e.g. "net": { "address": "10.0.2.15", "mask": "255.255.255.0", "gateway": "10.0.2.2" }`);
  }
  return { app, board, extra, resolution, appComponent, heapCap, runtime: chosen, optimize: optimize ?? appComponent.optimize ?? "size", grants: resolution.bindings.map((b) => b.device), net };
}

/** Whether the app's requirements reach the net faction. */
function appUsesNet(app: Component, all: Map<string, Component>): boolean {
  const seen = new Set<string>();
  const visit = (name: string): boolean => {
    if (name === "net") return true;
    if (seen.has(name)) return false;
    seen.add(name);
    return (all.get(name)?.requires ?? []).some((r) => !r.startsWith("device:") && visit(r));
  };
  return app.requires.some((r) => !r.startsWith("device:") && visit(r));
}

/** `anyk build --explain`: each component of the image and why it is there. */
export function explainLines(plan: ImagePlan): string[] {
  const runtime = plan.runtime === "bump" ? "" : `, runtime ${plan.runtime} (${RUNTIME_FACTS[plan.runtime].heapOverhead} of them its own)`;
  const lines = [`image ${plan.app.name} for ${plan.board.name}: ${plan.resolution.components.length} components, heap cap ${plan.heapCap} bytes${runtime}`];
  for (const c of plan.resolution.components) {
    const binding = plan.resolution.bindings.find((b) => b.driver === c);
    const bound = binding ? `; drives ${binding.device.name} (${binding.device.compatible}) at 0x${binding.device.base.toString(16).toUpperCase()}` : "";
    const why = c === plan.appComponent ? "the app" : `required by ${plan.resolution.why.get(c.name)}`;
    const from = c.origin && c.origin !== "toolchain" ? ` [${c.origin}]` : "";
    lines.push(`  ${c.name.padEnd(14)} ${c.layer.padEnd(8)} ${why}${bound}${from}`);
  }
  return lines;
}
