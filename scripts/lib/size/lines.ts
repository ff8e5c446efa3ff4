// The DWARF line table of a linked ELF, as address ranges with the source file and line each came
// from. With -flto, functions are inlined across files; the line table still says, instruction by
// instruction, which source line the code is for, so it attributes inlined code correctly.
import { runTool } from "../toolchain.js";

export interface LineRange {
  start: number;
  end: number;
  /** The source file as the ELF records it, e.g. "./platform/cortex-m/stub.c" or "build/lm3s6965evb/c/kernel.c". */
  file: string;
  line: number;
}

/** Parses `readelf --debug-dump=decodedline -W` output into ranges, in address order. */
export function parseDecodedLines(text: string): LineRange[] {
  const ranges: LineRange[] = [];
  let file = "";
  let open: { address: number; file: string; line: number } | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    // A compilation unit names the file its rows belong to until a file heading says otherwise.
    if (line.startsWith("CU: ")) {
      file = line.slice(4).replace(/:$/, "");
      continue;
    }
    // A file heading: the path the following rows' basenames belong to.
    const heading = /^(\S.*):$/.exec(line);
    if (heading && !line.includes(" ")) {
      file = heading[1];
      continue;
    }
    const row = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)\b/.exec(line);
    if (!row) continue;
    const address = parseInt(row[3], 16);
    if (open && address > open.address) ranges.push({ start: open.address, end: address, file: open.file, line: open.line });
    // "-" ends a sequence: nothing runs on from its address.
    open = row[2] === "-" ? undefined : { address, file, line: Number(row[2]) };
  }
  return ranges.sort((a, b) => a.start - b.start);
}

export async function readLineRanges(elf: string): Promise<LineRange[]> {
  return parseDecodedLines(await runTool("arm-none-eabi-readelf", ["--debug-dump=decodedline", "-W", elf], "arm-none-eabi-readelf"));
}
