// What the net faction dropped, and why: one counter per error, never a trap.
export let framesIn: u32 = 0;
export let framesOut: u32 = 0;
export let truncated: u32 = 0;
export let badChecksum: u32 = 0;
export let unknownProtocol: u32 = 0;
export let notForUs: u32 = 0;
export let fragments: u32 = 0;
export let sendBusy: u32 = 0;
/** Datagrams not sent because the next hop's MAC was unknown (an ARP request went instead). */
export let noRoute: u32 = 0;
/** UDP datagrams and TCP segments for a port nobody listens on. */
export let closedPort: u32 = 0;
/** TCP: SYNs answered with a SYN cookie (no state kept), and handshake ACKs whose cookie was wrong. */
export let synsAnswered: u32 = 0;
export let badCookies: u32 = 0;
/** TCP: handshakes completed while every connection slot was busy (the peer retries). */
export let noSlot: u32 = 0;
/** TCP: segments outside the expected sequence, dropped (the peer retransmits in order). */
export let outOfOrder: u32 = 0;
/** TCP: times a peer closed its receive window (a window of 0). */
export let zeroWindows: u32 = 0;
export let retransmits: u32 = 0;
/** TCP: connections given up after too many retransmissions. */
export let timeouts: u32 = 0;
export let resetsSent: u32 = 0;
export let resetsReceived: u32 = 0;

export function countIn(): void { framesIn++; }
export function countOut(): void { framesOut++; }
export function countTruncated(): void { truncated++; }
export function countBadChecksum(): void { badChecksum++; }
export function countUnknownProtocol(): void { unknownProtocol++; }
export function countNotForUs(): void { notForUs++; }
export function countFragment(): void { fragments++; }
export function countSendBusy(): void { sendBusy++; }
export function countNoRoute(): void { noRoute++; }
export function countClosedPort(): void { closedPort++; }
export function countSynAnswered(): void { synsAnswered++; }
export function countBadCookie(): void { badCookies++; }
export function countNoSlot(): void { noSlot++; }
export function countOutOfOrder(): void { outOfOrder++; }
export function countZeroWindow(): void { zeroWindows++; }
export function countRetransmit(): void { retransmits++; }
export function countTimeout(): void { timeouts++; }
export function countResetSent(): void { resetsSent++; }
export function countResetReceived(): void { resetsReceived++; }
