// The net faction's face for kernel code; apps import "anykernel/net" (api.ts) instead.
export { configure, ipv4 } from "./config";
export { pollFrame } from "./ethernet";
export { echoesAnswered } from "./icmp";
export { framesIn, framesOut, truncated, badChecksum, unknownProtocol, notForUs, fragments, sendBusy } from "./counters";
