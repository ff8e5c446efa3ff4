// What the net faction dropped, and why: one counter per error, never a trap.
export let framesIn: u32 = 0;
export let framesOut: u32 = 0;
export let truncated: u32 = 0;
export let badChecksum: u32 = 0;
export let unknownProtocol: u32 = 0;
export let notForUs: u32 = 0;
export let fragments: u32 = 0;
export let sendBusy: u32 = 0;

export function countIn(): void { framesIn++; }
export function countOut(): void { framesOut++; }
export function countTruncated(): void { truncated++; }
export function countBadChecksum(): void { badChecksum++; }
export function countUnknownProtocol(): void { unknownProtocol++; }
export function countNotForUs(): void { notForUs++; }
export function countFragment(): void { fragments++; }
export function countSendBusy(): void { sendBusy++; }
