// anyk keygen: an Ed25519 key pair for signed images. The private key signs (anyk build --image
// --sign, anyk flash --sign); the public key goes into a bootloader (anyk build --bootloader --key),
// which then takes no image it does not verify.
import path from "node:path";
import type { Command } from "../lib/command.js";
import { expectPositionals } from "../lib/command.js";
import { UsageError } from "../lib/errors.js";
import { makeKeyPair } from "../lib/loader/signing.js";
import { shown } from "../lib/paths.js";

export const keygenCommand: Command = {
  name: "keygen",
  summary: "make an Ed25519 key pair for signed images (anyk build --image --sign, --bootloader --key)",
  args: "",
  options: {
    out: { type: "string", value: "file", help: "where the private key goes (PEM, mode 0600); the public key goes to <file>.pub" },
    json: { type: "boolean", help: "print { private, public } paths as JSON" },
  },
  details: ["Keep the private key off the board and out of version control: whoever has it can sign images the bootloader runs."],
  async run(positionals, values) {
    expectPositionals(this, positionals, []);
    const out = values.out as string | undefined;
    if (!out) throw new UsageError("anyk keygen: --out <file> is needed: where to write the private key");
    const { privateFile, publicFile } = makeKeyPair(path.resolve(out));
    if (values.json) process.stdout.write(JSON.stringify({ private: privateFile, public: publicFile }) + "\n");
    else process.stdout.write(`wrote ${shown(privateFile)} (private: signs images) and ${shown(publicFile)} (public: anyk build --bootloader --key)\n`);
    return 0;
  },
};
