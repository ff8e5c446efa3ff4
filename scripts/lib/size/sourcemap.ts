// The kernel's source map (AssemblyScript's --sourceMap): which source file each byte of wasm code
// was compiled from. Binaryen inlines across components (a driver's constructor into the entry, its
// service routine into the dev faction's dispatch), so a function's name alone misleads: the map
// splits each function body between the files its code came from.
import { ENTRY, AS_RUNTIME, UNATTRIBUTED, WASM_RUNTIME, ownerOfKernelFunction, type Owner } from "./owners.js";
import type { Component } from "../components.js";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The values of one Base64 VLQ segment. */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0, shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) throw new Error(`not a Base64 VLQ digit: '${ch}'`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export interface MappedSpan {
  /** Byte offsets in the module. */
  start: number;
  end: number;
  source: string;
}

/** The map's segments as spans of bytes, each running to the next segment (or `end`). */
export function parseWasmSourceMap(json: string, end: number): MappedSpan[] {
  const map = JSON.parse(json) as { sources?: string[]; mappings?: string };
  if (!map.sources || !map.mappings) return [];
  const points: Array<{ offset: number; source: string }> = [];
  let column = 0, source = 0;
  for (const segment of map.mappings.split(/[,;]/)) {
    if (!segment) continue;
    const v = decodeVlq(segment);
    column += v[0];
    if (v.length >= 4) {
      source += v[1];
      points.push({ offset: column, source: map.sources[source] });
    } else points.push({ offset: column, source: "" });
  }
  points.sort((a, b) => a.offset - b.offset);
  return points.map((p, i) => ({ start: p.offset, end: points[i + 1]?.offset ?? end, source: p.source })).filter((s) => s.source && s.end > s.start);
}

/** The owner of a source file of the kernel ("kernel/drivers/uart/arm,pl011/arm,pl011.ts"). */
export function ownerOfSourceFile(file: string, components: Component[]): Owner {
  if (file.startsWith("~lib/")) return AS_RUNTIME;
  if (file.startsWith("kernel/__entry__")) return ENTRY;
  // The kernel side of the hypercall ABI: calls into the platform, inlined where they are made.
  if (file.startsWith("abi/")) return WASM_RUNTIME;
  const owner = ownerOfKernelFunction(file.replace(/\.ts$/, "/"), components);
  return owner === UNATTRIBUTED ? UNATTRIBUTED : owner;
}

export interface Share {
  owner: Owner;
  bytes: number;
}

/**
 * Each function body's bytes by owner: mapped bytes by their source file's owner, the rest (the
 * body's header, unmapped instructions) by the function's own name.
 */
export function functionShares(spans: MappedSpan[], bodies: Array<{ index: number; start: number; end: number }>, names: string[], components: Component[]): Map<number, Share[]> {
  const shares = new Map<number, Share[]>();
  let s = 0;
  for (const body of bodies) {
    const byName = new Map<string, Share>();
    const add = (owner: Owner, n: number) => {
      if (n <= 0) return;
      const share = byName.get(owner.name) ?? byName.set(owner.name, { owner, bytes: 0 }).get(owner.name)!;
      share.bytes += n;
    };
    while (s < spans.length && spans[s].end <= body.start) s++;
    let mapped = 0;
    for (let i = s; i < spans.length && spans[i].start < body.end; i++) {
      const n = Math.min(spans[i].end, body.end) - Math.max(spans[i].start, body.start);
      if (n <= 0) continue;
      add(ownerOfSourceFile(spans[i].source, components), n);
      mapped += n;
    }
    add(ownerOfKernelFunction(names[body.index] ?? "", components), body.end - body.start - mapped);
    shares.set(body.index, [...byName.values()]);
  }
  return shares;
}

/** Splits `bytes` by the shares' proportions, in whole bytes that add up to `bytes` (largest remainder). */
export function split(bytes: number, shares: Share[]): Share[] {
  const total = shares.reduce((n, s) => n + s.bytes, 0);
  if (total === 0) return [];
  const exact = shares.map((s) => (bytes * s.bytes) / total);
  const parts = exact.map((e, i) => ({ owner: shares[i].owner, bytes: Math.floor(e), remainder: e - Math.floor(e) }));
  let left = bytes - parts.reduce((n, p) => n + p.bytes, 0);
  for (const p of [...parts].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) break;
    p.bytes++;
    left--;
  }
  return parts.filter((p) => p.bytes > 0).map(({ owner, bytes: b }) => ({ owner, bytes: b }));
}
