// The linker map (ld -Map): every input section placed in the image, its address, size and the
// object it came from, and the fill the linker added for alignment.

export interface MapInputSection {
  /** The input section's name (".text.memcpy", ".rodata.stub_exit.str1.1") or "*fill*". */
  name: string;
  address: number;
  size: number;
  /** The object file or library member it came from; empty for fill. */
  origin: string;
}

export function parseLinkMap(text: string): MapInputSection[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Linker script and memory map"));
  const out: MapInputSection[] = [];
  let pendingName: string | undefined;
  for (const line of lines.slice(start < 0 ? 0 : start)) {
    // An input section is indented by one space; a long name puts its figures on the next line.
    const whole = /^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)(?:\s+(.*))?$/.exec(line);
    if (whole) {
      out.push({ name: whole[1], address: parseInt(whole[2], 16), size: parseInt(whole[3], 16), origin: (whole[4] ?? "").trim() });
      pendingName = undefined;
      continue;
    }
    const nameOnly = /^ (\S+)$/.exec(line);
    if (nameOnly) {
      pendingName = nameOnly[1];
      continue;
    }
    const figures = /^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$/.exec(line);
    if (figures && pendingName) {
      out.push({ name: pendingName, address: parseInt(figures[1], 16), size: parseInt(figures[2], 16), origin: figures[3].trim() });
    }
    pendingName = undefined;
  }
  return out.filter((s) => s.size > 0);
}
