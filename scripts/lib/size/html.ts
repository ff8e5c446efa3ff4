// anyk size --html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with
// ROM and RAM as stacked bars by component, the board's memories, and the table of figures.
import type { SizeReport, SizeRow } from "./report.js";
import type { OwnerKind } from "./owners.js";

const COMPONENT_SHADES_FIRST = "#1f4e79";
/** A colour per kind of row; components and runtimes get shades of their own so neighbours stay apart. */
const KIND_COLOURS: Record<OwnerKind, string> = {
  component: COMPONENT_SHADES_FIRST,
  generated: "#6a4fb3",
  runtime: "#c07a1a",
  stub: "#2e8b57",
  library: "#8c564b",
  stack: "#7f7f7f",
  padding: "#d0d0d0",
  unattributed: "#d62728",
};
const COMPONENT_SHADES = ["#1f4e79", "#2f6fb0", "#4a90d9", "#7fb3e6", "#1b6f8a", "#3aa0c0", "#5b7fa6", "#93b8d9"];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const RUNTIME_SHADES = ["#c07a1a", "#e3a64a", "#9a5c0c"];

export function rowColour(rows: SizeRow[], row: SizeRow): string {
  const shades = row.kind === "component" ? COMPONENT_SHADES : row.kind === "runtime" ? RUNTIME_SHADES : undefined;
  if (!shades) return KIND_COLOURS[row.kind];
  const same = rows.filter((r) => r.kind === row.kind);
  return shades[same.indexOf(row) % shades.length];
}

function stackedBar(title: string, rows: SizeRow[], key: "rom" | "ram", y: number): string {
  const width = 900;
  const total = rows.reduce((n, r) => n + r[key], 0);
  const scale = width / Math.max(total, 1);
  let x = 0;
  const parts = rows
    .filter((r) => r[key] > 0)
    .map((r) => {
      const w = r[key] * scale;
      const rect = `<rect class="part" data-name="${escape(r.name)}" x="${x.toFixed(2)}" y="${y + 22}" width="${Math.max(w, 0.5).toFixed(2)}" height="40" fill="${rowColour(rows, r)}"><title>${escape(r.name)}: ${r[key]} B</title></rect>`;
      const label = w > 60 ? `<text x="${(x + 4).toFixed(2)}" y="${y + 46}" class="inbar">${escape(r.name)}</text>` : "";
      x += w;
      return rect + label;
    });
  return `<text x="0" y="${y + 14}" class="bartitle">${escape(title)}: ${total} B</text>${parts.join("")}`;
}

export function htmlReport(report: SizeReport): string {
  const rows = report.components;
  const flash = report.regions.find((r) => r.name === "flash");
  const ram = report.regions.find((r) => r.name === "ram");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="170" role="img" aria-label="ROM and RAM by component">${stackedBar(`ROM (flash ${flash?.percent ?? 0}% of ${flash?.size ?? 0} B)`, rows, "rom", 0)}${stackedBar(`RAM (${ram?.percent ?? 0}% of ${ram?.size ?? 0} B)`, rows, "ram", 85)}</svg>`;
  const tableRows = rows
    .map((r) => `<tr><td><span class="swatch" style="background:${rowColour(rows, r)}"></span>${escape(r.name)}</td><td>${r.kind}</td><td>${r.rom}</td><td>${r.ram}</td><td>${r.wasm}</td><td>${escape(r.why ?? "")}</td></tr>`)
    .join("\n");
  const measured = report.measured ? `measured in ${report.measured.platform === "qemu" ? "QEMU" : "userspace"}` : "not measured";
  const dash = (n: number | null) => (n === null ? "-" : `${n} B`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>anyk size: ${escape(report.app)} on ${escape(report.board)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
.sub { color: #555; margin-bottom: 16px; }
.bartitle { font-size: 13px; font-weight: 600; fill: #222; }
.inbar { font-size: 11px; fill: #fff; pointer-events: none; }
table { border-collapse: collapse; margin-top: 16px; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e3e3e3; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2), th:last-child, td:last-child { text-align: left; }
.swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; vertical-align: -1px; }
tfoot td { font-weight: 600; }
</style>
</head>
<body>
<h1>${escape(report.app)} on ${escape(report.board)}${report.with.length ? ` with ${escape(report.with.join(", "))}` : ""}</h1>
<div class="sub">ELF loaded segments: flash ${report.elf.flash} B, RAM ${report.elf.ram} B; kernel.wasm ${report.wasm_bytes} B.
C stack reserved ${report.stack.reserved} B, high-water ${dash(report.stack.high_water)}; heap cap ${report.heap.cap} B, high-water ${dash(report.heap.high_water)} (${measured}).${report.fits ? "" : " <strong>The image does not fit the board.</strong>"}</div>
${svg}
<table id="rows">
<thead><tr><th>component</th><th>kind</th><th>ROM</th><th>RAM</th><th>wasm</th><th>why</th></tr></thead>
<tbody>
${tableRows}
</tbody>
<tfoot><tr><td>total</td><td></td><td>${report.totals.rom}</td><td>${report.totals.ram}</td><td>${report.totals.wasm}</td><td></td></tr></tfoot>
</table>
</body>
</html>
`;
}
