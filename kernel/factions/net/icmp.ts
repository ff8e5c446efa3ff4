// ICMP (RFC 792): echo requests are answered with the same identifier, sequence and data.
import { checksum, put16 } from "./bytes";
import { countBadChecksum, countUnknownProtocol } from "./counters";
import { HEADER, replyFrame } from "./ethernet";
import { ipv4Reply } from "./ipv4";

const ECHO_REPLY: u8 = 0;
const ECHO_REQUEST: u8 = 8;

let echoes: u32 = 0;
let onEcho: ((answered: u32) => void) | null = null;

/** Calls fn after each echo request answered, with the count so far. */
export function onEchoAnswered(fn: (answered: u32) => void): void {
  onEcho = fn;
}

/** Echo requests answered so far. */
export function echoesAnswered(): u32 {
  return echoes;
}

export function icmpInput(frame: usize, headerLength: u32, total: u32): void {
  const ip = frame + HEADER;
  const icmp = ip + <usize>headerLength;
  const length = total - headerLength;
  if (length < 8 || checksum(icmp, length) != 0) {
    countBadChecksum();
    return;
  }
  if (load<u8>(icmp) != ECHO_REQUEST || load<u8>(icmp + 1) != 0) {
    countUnknownProtocol();
    return;
  }
  store<u8>(icmp, ECHO_REPLY);
  put16(icmp + 2, 0);
  put16(icmp + 2, checksum(icmp, length));
  ipv4Reply(ip, headerLength);
  echoes++;
  replyFrame(frame, HEADER + total);
  if (onEcho !== null) onEcho!(echoes);
}
