// A network interface's configuration, as a board file or anykernel.json gives it: static,
// "net": { "address": "10.0.2.15", "mask": "255.255.255.0", "gateway": "10.0.2.2" }, or from a DHCP
// server, "net": { "dhcp": true }, which links the net-dhcp component into the image.
export interface NetSettings {
  /** IPv4 addresses as numbers (big-endian packing, a.b.c.d → a << 24 | ...); 0 under DHCP. */
  address: number;
  mask: number;
  gateway: number;
  /** The address comes from a DHCP server (RFC 2131). */
  dhcp: boolean;
}

const FIELDS = ["$comment", "address", "mask", "gateway", "dhcp"];

/** The settings in raw, or a call of fail(field, problem) for the first mistake. */
export function parseNetSettings(raw: unknown, fail: (field: string, problem: string) => never): NetSettings {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail("net", `must be an object like { "address": "10.0.2.15", "mask": "255.255.255.0", "gateway": "10.0.2.2" } or { "dhcp": true }`);
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!FIELDS.includes(key)) fail(`net.${key}`, `is not a net field; valid fields: ${FIELDS.slice(1).join(", ")}`);
  if (o.dhcp !== undefined && typeof o.dhcp !== "boolean") fail("net.dhcp", `must be true or false, got ${JSON.stringify(o.dhcp)}`);
  if (o.dhcp === true) {
    const extra = ["address", "mask", "gateway"].filter((k) => o[k] !== undefined);
    if (extra.length) fail(`net.${extra[0]}`, "comes from the DHCP server when dhcp is true; give either dhcp or address, mask and gateway");
    return { address: 0, mask: 0, gateway: 0, dhcp: true };
  }
  const quad = (key: string): number => {
    const v = o[key];
    const m = typeof v === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v) : null;
    const parts = m ? m.slice(1).map(Number) : [];
    if (!m || parts.some((p) => p > 255)) return fail(`net.${key}`, `must be an IPv4 address like "10.0.2.15", got ${JSON.stringify(v)}`);
    return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  };
  const settings = { address: quad("address"), mask: quad("mask"), gateway: quad("gateway"), dhcp: false };
  // A mask is ones then zeros: 255.255.255.0, not 255.0.255.0.
  const inverted = ~settings.mask >>> 0;
  if ((inverted & (inverted + 1)) !== 0) fail("net.mask", `must be ones then zeros, like "255.255.255.0", got ${JSON.stringify(o.mask)}`);
  if (((settings.address ^ settings.gateway) & settings.mask) >>> 0 !== 0) fail("net.gateway", `must be on the address's network (${JSON.stringify(o.address)} with mask ${JSON.stringify(o.mask)}), got ${JSON.stringify(o.gateway)}`);
  return settings;
}

/** a.b.c.d for a packed address. */
export function dottedQuad(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join(".");
}
