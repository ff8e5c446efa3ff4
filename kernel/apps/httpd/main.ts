// httpd: a small HTTP/1.1 server (RFC 9112) on port 80. Each connection takes one request; the
// response ends with the connection (Connection: close), so no body needs its length beforehand.
//   GET /            a page naming the board and its uptime
//   GET /leds/on|off drives the board's first LED
//   GET /bytes       65,536 bytes, byte i being i % 251, sent as the send buffer drains
//   GET /stats       the net faction's counters, one "name value" per line
import { Line, boardName, heapUsed, millis, print, println, run } from "anykernel";
import { board } from "anykernel/board";
import { net, tcp, counters, Connection } from "anykernel/net";

const PORT: u32 = 80;
/** The request line kept per connection: enough for the paths served here. */
const LINE_MAX: u32 = 48;
const BIG_RESPONSE: u32 = 65536;

// Per connection slot: the request line so far, whether it ended, how much of "\r\n\r\n" has
// been seen, and the bytes of /bytes still to send. Allocated once; requests allocate nothing.
const lines = new Uint8Array(<i32>(tcp.slots * LINE_MAX));
const lineLengths = new Uint32Array(<i32>tcp.slots);
const headerEnds = new Uint32Array(<i32>tcp.slots);
const remaining = new Uint32Array(<i32>tcp.slots);
const scratch = new Uint8Array(256);

function lineIs(slot: u32, text: string): bool {
  if (lineLengths[slot] < <u32>text.length) return false;
  for (let i = 0; i < text.length; i++) if (<u32>lines[slot * LINE_MAX + <u32>i] != <u32>text.charCodeAt(i)) return false;
  // The path ends at the space before the version (or the line's end).
  const after = <u32>text.length;
  return after == lineLengths[slot] || lines[slot * LINE_MAX + after] == 0x20;
}

function writeNumber(c: Connection, value: u64): void {
  let count = 0;
  do {
    scratch[20 - ++count] = <u8>(0x30 + <u32>(value % 10));
    value /= 10;
  } while (value > 0);
  scratch.copyWithin(0, 20 - count, 20);
  c.write(scratch, count);
}

function status(c: Connection, code: string, type: string): void {
  c.print("HTTP/1.1 ");
  c.print(code);
  c.print("\r\nServer: anykernel\r\nConnection: close\r\nContent-Type: ");
  c.print(type);
  c.print("\r\n\r\n");
}

function page(c: Connection): void {
  status(c, "200 OK", "text/html");
  c.print("<!DOCTYPE html>\n<html><head><title>anykernel</title></head><body>\n<h1>anykernel on ");
  c.print(boardName);
  c.print("</h1>\n<p>Up for ");
  writeNumber(c, millis() / 1000);
  c.print(" s. LED ");
  c.print(board.led.lit ? "on" : "off");
  c.print(".</p>\n</body></html>\n");
}

function stat(c: Connection, name: string, value: u32): void {
  c.print(name);
  c.print(" ");
  writeNumber(c, value);
  c.print("\n");
}

function stats(c: Connection): void {
  status(c, "200 OK", "text/plain");
  stat(c, "frames_in", counters.framesIn);
  stat(c, "frames_out", counters.framesOut);
  stat(c, "truncated", counters.truncated);
  stat(c, "bad_checksum", counters.badChecksum);
  stat(c, "unknown_protocol", counters.unknownProtocol);
  stat(c, "not_for_us", counters.notForUs);
  stat(c, "fragments", counters.fragments);
  stat(c, "closed_port", counters.closedPort);
  stat(c, "syns_answered", counters.synsAnswered);
  stat(c, "bad_cookies", counters.badCookies);
  stat(c, "no_slot", counters.noSlot);
  stat(c, "out_of_order", counters.outOfOrder);
  stat(c, "zero_windows", counters.zeroWindows);
  stat(c, "retransmits", counters.retransmits);
  stat(c, "timeouts", counters.timeouts);
  stat(c, "resets_sent", counters.resetsSent);
  stat(c, "resets_received", counters.resetsReceived);
  stat(c, "heap_used", heapUsed());
}

/** Sends what fits of /bytes; closes once all has been written. */
function moreBytes(c: Connection): void {
  const slot = c.slot;
  while (remaining[slot] > 0 && c.writable > 0) {
    const sent = BIG_RESPONSE - remaining[slot];
    let count = <u32>scratch.length;
    if (count > remaining[slot]) count = remaining[slot];
    if (count > c.writable) count = c.writable;
    for (let i: u32 = 0; i < count; i++) scratch[i] = <u8>((sent + i) % 251);
    remaining[slot] -= c.write(scratch, <i32>count);
  }
  if (remaining[slot] == 0) c.close();
}

function respond(c: Connection): void {
  const slot = c.slot;
  if (!lineIs(slot, "GET")) {
    status(c, "405 Method Not Allowed", "text/plain");
    c.print("only GET is served here\n");
  } else if (lineIs(slot, "GET /")) page(c);
  else if (lineIs(slot, "GET /leds/on") || lineIs(slot, "GET /leds/off")) {
    board.led.set(lineIs(slot, "GET /leds/on"));
    status(c, "200 OK", "text/plain");
    c.print(board.led.lit ? "LED on\n" : "LED off\n");
  } else if (lineIs(slot, "GET /bytes")) {
    c.print("HTTP/1.1 200 OK\r\nServer: anykernel\r\nConnection: close\r\nContent-Type: application/octet-stream\r\nContent-Length: ");
    writeNumber(c, BIG_RESPONSE);
    c.print("\r\n\r\n");
    remaining[slot] = BIG_RESPONSE;
    c.onWritable = moreBytes;
    moreBytes(c);
    return;
  } else if (lineIs(slot, "GET /stats")) stats(c);
  else {
    status(c, "404 Not Found", "text/plain");
    c.print("not found\n");
  }
  c.close();
}

/** Collects the request line and waits for the blank line that ends the header. */
function received(c: Connection, data: Line): void {
  const slot = c.slot;
  for (let i: u32 = 0; i < data.length; i++) {
    const b = data.byteAt(i);
    if (headerEnds[slot] == 4) return; // one request per connection: the rest is ignored
    if (lineLengths[slot] & 0x80000000) {
      // The request line has ended; watch for CR LF CR LF.
    } else if (b == 0x0a) lineLengths[slot] |= 0x80000000;
    else if (b != 0x0d && lineLengths[slot] < LINE_MAX) lines[slot * LINE_MAX + lineLengths[slot]++] = b;
    const expected: u8 = headerEnds[slot] & 1 ? 0x0a : 0x0d;
    headerEnds[slot] = b == expected ? headerEnds[slot] + 1 : b == 0x0d ? 1 : 0;
    if (headerEnds[slot] == 4) {
      lineLengths[slot] &= 0x7fffffff;
      respond(c);
    }
  }
}

function accepted(c: Connection): void {
  const slot = c.slot;
  lineLengths[slot] = 0;
  headerEnds[slot] = 0;
  remaining[slot] = 0;
  c.onData = received;
}

export function main(): i32 {
  tcp.listen(PORT, accepted);
  print("httpd: listening on ");
  net.printAddress(net.address());
  println(":80");
  return run();
}
