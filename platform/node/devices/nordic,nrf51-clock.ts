// nRF51 CLOCK, as far as bring-up needs it (nRF51 RM 13): TASKS_HFCLKSTART starts the 16 MHz
// crystal and EVENTS_HFCLKSTARTED reports it running, as QEMU's model does at once.
import type { AccessWidth, DeviceModel } from "./bus.js";
import type { Device, DeviceHost } from "./host.js";

export function nrf51Clock(_device: Device, _host: DeviceHost): DeviceModel {
  let hfclkStarted = 0;
  return {
    read: (offset: number, _width: AccessWidth) => (offset === 0x100 ? hfclkStarted : offset === 0x40c ? hfclkStarted << 16 : 0),
    write(offset: number, value: number, _width: AccessWidth): void {
      if (offset === 0x000 && value & 1) hfclkStarted = 1;
      if (offset === 0x004 && value & 1) hfclkStarted = 0;
      if (offset === 0x100) hfclkStarted = value & 1;
    },
  };
}
