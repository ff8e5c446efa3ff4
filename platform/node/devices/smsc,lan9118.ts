// SMSC LAN9118 Ethernet controller model, following QEMU's hw/net/lan9118.c and the datasheet
// (DS00002266, section 5): receive data and status FIFOs read as little-endian words, the transmit
// FIFO taking command A, command B and the frame's words, the MAC's registers behind MAC_CSR_CMD,
// and an IRQ pin whose polarity IRQ_CFG sets. Stricter than QEMU where the datasheet is: nothing is
// sent unless TX_CFG.TX_ON and MAC_CR.TXEN are set.
import type { AccessWidth, DeviceModel } from "./bus.js";
import { crc32 } from "./crc32.js";
import { connectNic, lineOf, type Device, type DeviceHost, type NicModel } from "./host.js";

const ID_REV = 0x01180001;
const BYTE_TEST = 0x87654321;
const IRQ_EN = 1 << 8, IRQ_POL = 1 << 4, IRQ_TYPE = 1 << 0, IRQ_INT = 1 << 12;
const INT_RSFL = 1 << 3, INT_RXE = 1 << 14, INT_TSFF = 1 << 8, INT_SW = 1 << 31;
const TX_ON = 1 << 1;
const MAC_CR_RXEN = 1 << 2, MAC_CR_TXEN = 1 << 3, MAC_CR_BCAST = 1 << 11, MAC_CR_PRMS = 1 << 18, MAC_CR_MCPAS = 1 << 19;
const CSR_BUSY = 1 << 31, CSR_READ = 1 << 30;
const FIRST_SEGMENT = 1 << 13, LAST_SEGMENT = 1 << 12;
/** FIFO sizes with HW_CFG.TX_FIF_SZ at its reset value, 5 (datasheet table 5-x; QEMU's reset values). */
const RX_DATA_WORDS = 2640;
const RX_STATUS_ENTRIES = 176;
const TX_DATA_BYTES = 4608;
const TX_STATUS_ENTRIES = 512;

export type Lan9118Model = DeviceModel & NicModel;

export function lan9118(device: Device, host: DeviceHost): Lan9118Model {
  const line = lineOf(device);
  const mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]; // QEMU's default NIC address, as its EEPROM gives it
  let irqCfg = 0, intSts = 0, intEn = 0, fifoInt = 0x48000000, rxCfg = 0, txCfg = 0, hwCfg = 0x00050000;
  let gpioCfg = 0, afcCfg = 0, macCmd = 0, macData = 0;
  let macCr = MAC_CR_PRMS, hashH = 0, hashL = 0, miiAcc = 0, miiData = 0, flow = 0;
  const rxWords: number[] = [];
  const rxStatus: number[] = [];
  let rxLeft = 0; // words of the frame being read
  const txStatus: number[] = [];
  let tx: { a: number; b: number; bytes: number[]; left: number } | undefined;

  const update = () => {
    const pending = (intSts & intEn) !== 0;
    irqCfg = pending ? irqCfg | IRQ_INT : irqCfg & ~IRQ_INT;
    let level = pending && (irqCfg & IRQ_EN) !== 0;
    // An open-drain or active-low pin reads inverted at the interrupt controller, as in QEMU.
    if ((irqCfg & (IRQ_TYPE | IRQ_POL)) !== (IRQ_TYPE | IRQ_POL)) level = !level;
    host.setIrqLevel(line, level);
  };

  const accepts = (frame: Uint8Array): boolean => {
    if (macCr & MAC_CR_PRMS) return true;
    if (frame.subarray(0, 6).every((b) => b === 0xff)) return (macCr & MAC_CR_BCAST) === 0;
    if (frame[0] & 1) return (macCr & MAC_CR_MCPAS) !== 0;
    return mac.every((b, i) => frame[i] === b);
  };

  const pushTx = (word: number) => {
    if (!tx) {
      tx = { a: word, b: -1, bytes: [], left: word & 0x7ff };
      return;
    }
    if (tx.b === -1) {
      tx.b = word >>> 0;
      return;
    }
    for (let i = 0; i < 4 && tx.left > 0; i++, tx.left--) tx.bytes.push((word >>> (i * 8)) & 0xff);
    if (tx.left > 0) return;
    const done = tx;
    tx = undefined;
    if (!(done.a & LAST_SEGMENT) || !(done.a & FIRST_SEGMENT)) return; // one segment per frame is all the kernel sends
    if (!(txCfg & TX_ON) || !(macCr & MAC_CR_TXEN)) return; // the transmitter is off: the frame goes nowhere
    host.network?.send(Uint8Array.from(done.bytes.slice(0, done.b & 0x7ff)));
    if (txStatus.length < TX_STATUS_ENTRIES) txStatus.push(done.b & 0xffff0000);
    else intSts |= INT_TSFF;
  };

  const macRead = (register: number): number => {
    switch (register) {
      case 1: return macCr;
      case 2: return mac[4] | (mac[5] << 8);
      case 3: return (mac[0] | (mac[1] << 8) | (mac[2] << 16) | (mac[3] << 24)) >>> 0;
      case 4: return hashH;
      case 5: return hashL;
      case 6: return miiAcc;
      case 7: return miiData;
      case 8: return flow;
      default: return 0;
    }
  };

  const macWrite = (register: number, value: number) => {
    switch (register) {
      case 1: macCr = value & ~0x7f404213; break;
      case 2: mac.splice(4, 2, value & 0xff, (value >>> 8) & 0xff); break;
      case 3: mac.splice(0, 4, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24); break;
      case 4: hashH = value; break;
      case 5: hashL = value; break;
      case 6:
        miiAcc = value & 0xffc2;
        // The PHY (datasheet 5.5): its basic status says the link is up and autonegotiation done.
        if (!(value & 2)) miiData = ((value >> 6) & 0x1f) === 1 ? 0x782d : 0;
        break;
      case 7: miiData = value & 0xffff; break;
      case 8: flow = value & 0xffff0000; break;
    }
  };

  const model: Lan9118Model = {
    canReceive: () => (macCr & MAC_CR_RXEN) !== 0 && rxStatus.length < RX_STATUS_ENTRIES && rxWords.length + 380 <= RX_DATA_WORDS,
    deliver(frame: Uint8Array): void {
      if (frame.length < 14 || frame.length >= 2048 || !accepts(frame)) return;
      const stored = new Uint8Array(Math.ceil((frame.length + 4) / 4) * 4);
      stored.set(frame);
      new DataView(stored.buffer).setUint32(frame.length, crc32(frame), true);
      const view = new DataView(stored.buffer);
      for (let i = 0; i < stored.length; i += 4) rxWords.push(view.getUint32(i, true));
      let status = (frame.length + 4) << 16;
      if (frame.subarray(0, 6).every((b) => b === 0xff)) status |= 1 << 13;
      else if (frame[0] & 1) status |= 1 << 10;
      rxStatus.push(status >>> 0);
      if (rxStatus.length > (fifoInt & 0xff)) intSts |= INT_RSFL;
      update();
    },
    read(offset: number, _width: AccessWidth): number {
      if (offset < 0x20) {
        if (rxLeft === 0 || rxWords.length === 0) {
          intSts |= INT_RXE; // read past the frames: an underrun
          update();
          return 0;
        }
        rxLeft--;
        return rxWords.shift()!;
      }
      switch (offset) {
        case 0x40: {
          const status = rxStatus.shift();
          if (status === undefined) return 0;
          rxLeft = Math.ceil((status >>> 16) / 4);
          return status;
        }
        case 0x44: return rxStatus[0] ?? 0;
        case 0x48: return txStatus.shift() ?? 0;
        case 0x4c: return txStatus[0] ?? 0;
        case 0x50: return ID_REV;
        case 0x54: return irqCfg;
        case 0x58: return intSts >>> 0;
        case 0x5c: return intEn >>> 0;
        case 0x64: return BYTE_TEST;
        case 0x68: return fifoInt >>> 0;
        case 0x6c: return rxCfg;
        case 0x70: return txCfg;
        case 0x74: return hwCfg;
        case 0x7c: return ((rxStatus.length << 16) | (rxWords.length << 2)) >>> 0;
        case 0x80: return ((txStatus.length << 16) | (TX_DATA_BYTES - (tx ? tx.bytes.length + 8 : 0))) >>> 0;
        case 0x84: return 1; // PMT_CTRL.READY: the chip is out of reset
        case 0x88: return gpioCfg;
        case 0xa4: return macCmd;
        case 0xa8: return macData >>> 0;
        case 0xac: return afcCfg;
        default: return 0;
      }
    },
    write(offset: number, value: number, _width: AccessWidth): void {
      if (offset >= 0x20 && offset < 0x40) {
        pushTx(value >>> 0);
        update();
        return;
      }
      switch (offset) {
        case 0x54: irqCfg = (irqCfg & IRQ_INT) | (value & (IRQ_EN | IRQ_POL | IRQ_TYPE)); break;
        case 0x58: intSts &= ~value; break;
        case 0x5c:
          intEn = value & ~0x7c001000;
          intSts |= value & INT_SW;
          break;
        case 0x68: fifoInt = value >>> 0; break;
        case 0x6c: rxCfg = value & 0xcfff1ff0; break;
        case 0x70: txCfg = value & 6; break;
        case 0x74: hwCfg = (value & 0x003f300) | (hwCfg & 4); break;
        case 0x88: gpioCfg = value & 0x7777071f; break;
        case 0xa4:
          macCmd = value & 0x4000000f; // BUSY clears at once
          if (value & CSR_BUSY) {
            if (value & CSR_READ) macData = macRead(value & 0xf);
            else macWrite(value & 0xf, macData >>> 0);
          }
          break;
        case 0xa8: macData = value >>> 0; break;
        case 0xac: afcCfg = value & 0x00ffffff; break;
      }
      update();
    },
  };
  connectNic(host, model);
  update();
  return model;
}
