// Which of the image's C sources a symbol or a string literal comes from, for bytes the line
// table does not cover (data, string literals, variables).
import fs from "node:fs";
import { ownerOfCFile, UNATTRIBUTED, type Owner } from "./owners.js";

export interface CSources {
  ownerOfName(name: string): Owner;
  ownerOfString(text: string): Owner;
}

const NOT_A_DEFINITION = /^(return|if|while|for|else|extern|#|\/\*|\*)/;

export function cSources(files: string[]): CSources {
  // .c files before headers: a header's prototype is not where the bytes come from.
  const ordered = [...files].sort((a, b) => Number(a.endsWith(".h")) - Number(b.endsWith(".h")));
  const texts = ordered.map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
  return {
    ownerOfName(name) {
      // GCC suffixes local copies: "words.0", "f.constprop.0", "x.lto_priv.0".
      const base = name.split(".")[0];
      const word = new RegExp(`\\b${base.replace(/[$]/g, "\\$&")}\\b\\s*(\\(|\\[|=|;|__attribute__)`);
      for (const { file, text } of texts) {
        for (const line of text.split("\n")) {
          const trimmed = line.trim();
          const topLevel = line === trimmed || trimmed.startsWith("static ");
          if (topLevel && !NOT_A_DEFINITION.test(trimmed) && word.test(line)) return ownerOfCFile(file);
        }
      }
      return UNATTRIBUTED;
    },
    ownerOfString(text) {
      const literal = JSON.stringify(text).slice(1, -1);
      for (const { file, text: source } of texts) if (source.includes(`"${literal}"`)) return ownerOfCFile(file);
      for (const { file, text: source } of texts) if (literal.length >= 4 && source.includes(literal)) return ownerOfCFile(file);
      return UNATTRIBUTED;
    },
  };
}
