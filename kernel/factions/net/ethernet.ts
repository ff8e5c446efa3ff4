// Ethernet II (IEEE 802.3 framing with an EtherType): one static buffer for the frame received,
// taken from the interface one at a time and handed to ARP or IPv4 (replies are built in it, in
// place), and one for frames the kernel sends of its own (UDP, TCP, ARP requests).
import { netif } from "../dev/registry";
import { get16, put16 } from "./bytes";
import { arpInput } from "./arp";
import { ipv4Input } from "./ipv4";
import { countIn, countOut, countNotForUs, countSendBusy, countTruncated, countUnknownProtocol } from "./counters";

export const HEADER: u32 = 14;
const FRAME_CAPACITY: u32 = 1514;
export const TYPE_IPV4: u32 = 0x0800;
export const TYPE_ARP: u32 = 0x0806;
/** Send attempts before a reply is given up (the MAC is still sending the one before). */
const SEND_TRIES: i32 = 100000;

function frameBuffer(): usize {
  return memory.data(<i32>FRAME_CAPACITY);
}

/** The buffer outgoing frames are built in; the frame received stays untouched meanwhile. */
export function outgoingFrame(): usize {
  return memory.data(<i32>FRAME_CAPACITY);
}

/** This interface's MAC address (6 bytes), read from the device once. */
export function ourMac(): usize {
  const mac = memory.data(8);
  if (load<u16>(mac + 6) == 0) {
    netif().macAddress(mac);
    store<u16>(mac + 6, 1); // read
  }
  return mac;
}

function isOurs(destination: usize): bool {
  const mac = ourMac();
  let broadcast = true;
  let ours = true;
  for (let i: usize = 0; i < 6; i++) {
    const b = load<u8>(destination + i);
    if (b != 0xff) broadcast = false;
    if (b != load<u8>(mac + i)) ours = false;
  }
  return ours || broadcast;
}

/** Takes one waiting frame and handles it; false when none was waiting. */
export function pollFrame(): bool {
  const frame = frameBuffer();
  const length = netif().receive(frame, FRAME_CAPACITY);
  if (length < 0) return false;
  countIn();
  if (<u32>length < HEADER) {
    countTruncated();
    return true;
  }
  if (!isOurs(frame)) {
    countNotForUs();
    return true;
  }
  const type = get16(frame + 12);
  if (type == TYPE_ARP) arpInput(frame, <u32>length);
  else if (type == TYPE_IPV4) ipv4Input(frame, <u32>length);
  else countUnknownProtocol();
  return true;
}

/** Sends frame (length bytes, header included) back where it came from, from this interface. */
export function replyFrame(frame: usize, length: u32): void {
  memory.copy(frame, frame + 6, 6);
  memory.copy(frame + 6, ourMac(), 6);
  transmit(frame, length);
}

/** Sends frame (length bytes, header included) to the MAC at destination, as type, from us. */
export function sendFrame(frame: usize, destination: usize, type: u32, length: u32): bool {
  memory.copy(frame, destination, 6);
  memory.copy(frame + 6, ourMac(), 6);
  put16(frame + 12, type);
  return transmit(frame, length);
}

function transmit(frame: usize, length: u32): bool {
  const device = netif();
  for (let tries = 0; tries < SEND_TRIES; tries++) {
    if (device.send(frame, length)) {
      countOut();
      return true;
    }
  }
  countSendBusy();
  return false;
}
