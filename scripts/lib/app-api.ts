// The app API's import names: what a user writes after `from`, the kernel module it is, and the
// component an app that imports it requires (so its heap budget and devices come along).
export const APP_API: Record<string, { module: string; component: string; names?: Record<string, string> }> = {
  // every and after allocate a timer each: their heap is a component of its own, so an app without
  // timers does not carry it.
  anykernel: { module: "factions/api/index", component: "api", names: { every: "api-timers", after: "api-timers" } },
  "anykernel/uart": { module: "factions/api-uart/uart", component: "api-uart" },
  "anykernel/board": { module: "factions/api-board/board", component: "api-board" },
  // So do tcp and udp: their records are heap objects an image that only answers pings does without.
  "anykernel/net": { module: "factions/net/api", component: "net", names: { tcp: "net-tcp", udp: "net-udp" } },
};

/** The components an app's sources need for what they import of the app API. */
export function appApiComponents(sources: string[]): string[] {
  const needed = new Set<string>();
  for (const text of sources) {
    for (const m of text.matchAll(/import\s*(?:\{([^}]*)\}\s*from\s*)?["']([^"']+)["']/g)) {
      const api = APP_API[m[2]];
      if (!api) continue;
      needed.add(api.component);
      for (const name of (m[1] ?? "").split(",").map((n) => n.trim().split(/\s+as\s+/)[0])) if (api.names?.[name]) needed.add(api.names[name]);
    }
  }
  return [...needed];
}
