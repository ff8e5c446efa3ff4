// Signed images (loader mode): an Ed25519 key pair from anyk keygen; the build signs an image's
// header (up to its CRCs) and payload and appends the signature; a bootloader built with the
// public key (anyk build --bootloader --key) takes no image that does not verify with it.
import crypto from "node:crypto";
import fs from "node:fs";
import { HEADER_AT as AT, HEADER_BYTES, IMAGE_SIGNATURE_BYTES, IMAGE_SIGNED } from "../../../abi/gen/loader.js";
import { UserError } from "../errors.js";
import { readHeader, sealImage } from "./image-format.js";

function readKey(file: string): crypto.KeyObject {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UserError(`${file}: no such key file (make a key pair with: anyk keygen --out ${file})`);
  }
  try {
    const key = text.includes("PRIVATE KEY") ? crypto.createPrivateKey(text) : crypto.createPublicKey(text);
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (err) {
    throw new UserError(`${file}: not an Ed25519 key in PEM (${(err as Error).message}); anyk keygen writes one`);
  }
}

/** The 32 bytes of the public key in a key file (a private key's public half, or a public key). */
export function publicKeyBytes(file: string): Uint8Array {
  const key = readKey(file);
  const pub = key.type === "private" ? crypto.createPublicKey(key) : key;
  // SPKI of an Ed25519 key: a fixed 12-byte prefix, then the 32 key bytes (RFC 8410).
  return new Uint8Array(pub.export({ format: "der", type: "spki" }).subarray(-32));
}

/** The image signed: format marked signed, the signature appended (and counted in length), both CRCs made again. */
export function signImage(image: Uint8Array, keyFile: string): Uint8Array {
  const key = readKey(keyFile);
  if (key.type !== "private") throw new UserError(`${keyFile}: a public key cannot sign; give the private key anyk keygen wrote`);
  const h = readHeader(image);
  const out = new Uint8Array(image.length + IMAGE_SIGNATURE_BYTES);
  out.set(image);
  const v = new DataView(out.buffer);
  v.setUint32(AT.format, h.format | IMAGE_SIGNED, true);
  v.setUint32(AT.length, h.length + IMAGE_SIGNATURE_BYTES, true);
  const message = Buffer.concat([out.subarray(0, AT.payloadCrc), out.subarray(HEADER_BYTES, image.length)]);
  out.set(crypto.sign(null, message, key), image.length);
  return sealImage(out, h.ramSize);
}

/** anyk keygen: a new key pair, the private key at file (mode 0600) and the public one at file.pub. */
export function makeKeyPair(file: string): { privateFile: string; publicFile: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
  if (fs.existsSync(file)) throw new UserError(`${file} exists; anyk keygen does not overwrite a key (a bootloader may trust it)`);
  const temp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temp, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  fs.writeFileSync(`${file}.pub`, publicKey.export({ format: "pem", type: "spki" }));
  fs.renameSync(temp, file);
  return { privateFile: file, publicFile: `${file}.pub` };
}
