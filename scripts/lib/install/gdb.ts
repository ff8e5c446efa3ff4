// anyk flash --gdb HOST:PORT: a firmware or the bootloader through any GDB server, with progress.
import { UserError } from "../errors.js";
import { hex } from "../boards.js";
import { loadOverGdb, type LoadResult } from "../gdb/load.js";

/** "HOST:PORT" or ":PORT" / "PORT" for localhost; a clear error otherwise. */
export function parseGdbTarget(text: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new UserError(`--gdb '${text}' is not HOST:PORT (e.g. localhost:3333 for OpenOCD, localhost:1234 for anyk boot --gdb)`);
  return { host: m[1] || "localhost", port };
}

export async function flashOverGdb(elf: string, target: string, options: { noRun: boolean; progress: boolean }): Promise<LoadResult> {
  const { host, port } = parseGdbTarget(target);
  let lastPhase = "";
  const result = await loadOverGdb(elf, {
    host,
    port,
    noRun: options.noRun,
    onProgress: options.progress
      ? (p) => {
          if (p.phase !== lastPhase && lastPhase) process.stderr.write("\n");
          lastPhase = p.phase;
          process.stderr.write(`\r${p.phase === "write" ? "writing  " : "verifying"} ${p.done} / ${p.total} B  ${Math.floor((100 * p.done) / p.total)}%   `);
        }
      : undefined,
  });
  if (options.progress) process.stderr.write("\n");
  return result;
}

export function describeGdbLoad(what: string, target: string, r: LoadResult, noRun: boolean): string {
  return `flashed ${what} through the GDB server at ${target}: ${r.bytes} bytes in ${Math.round(r.milliseconds)} ms${r.flashPackets ? " (flash erased and written with vFlash packets)" : ""}; verified; ${noRun ? "left halted" : `started at ${hex(r.pc & ~1)} (sp ${hex(r.sp)})`}\n`;
}
