// The net faction's face for apps: configure the interface, then take frames from the event loop.
export { configure, ipv4 } from "./config";
export { pollFrame } from "./ethernet";
export { echoesAnswered } from "./icmp";
export { framesIn, framesOut, truncated, badChecksum, unknownProtocol, notForUs, fragments, sendBusy } from "./counters";
