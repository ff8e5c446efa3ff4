// First-install paths that need hardware this machine lacks (OpenOCD with a probe, the micro:bit's
// DAPLink drive, the STM32's ROM bootloaders): the exact command each runs, from the board file,
// and the one-line error for each way it fails. The tools here are stand-in scripts on PATH that
// record their arguments and answer as the real tool does; no probe or board is involved.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadBoard } from "../scripts/lib/boards.js";
import { openocdCommand, OPENOCD_FAILURES } from "../scripts/lib/install/openocd.js";
import { dfuCommand, DFU_FAILURES } from "../scripts/lib/install/dfu.js";
import { stm32flashCommand, STM32FLASH_FAILURES } from "../scripts/lib/install/stm32flash.js";
import { explainFailure } from "../scripts/lib/install/external.js";
import { mountsNamed } from "../scripts/lib/install/drive.js";
import { anyk, tempBuildDir } from "./helpers/cli.js";

const env = { ANYK_BUILD_DIR: tempBuildDir("install") };

describe("the commands run", () => {
  it("OpenOCD: the board's interface and target files, then program with verify and reset", () => {
    expect(openocdCommand(loadBoard("microbit"), "/b/firmware.elf")).toEqual({ tool: "openocd", debianPackage: "openocd", args: ["-f", "interface/cmsis-dap.cfg", "-f", "target/nrf51.cfg", "-c", "program {/b/firmware.elf} verify reset exit"] });
    expect(openocdCommand(loadBoard("lm3s6965evb"), "f.elf").args.slice(0, 2)).toEqual(["-f", "board/ek-lm3s6965.cfg"]);
    expect(openocdCommand(loadBoard("netduinoplus2"), "f.elf").args.slice(0, 4)).toEqual(["-f", "interface/stlink.cfg", "-f", "target/stm32f4x.cfg"]);
    expect(() => openocdCommand(loadBoard("mps2-an385"), "f.elf")).toThrow(/no OpenOCD configuration .* SD card/);
  });

  it("dfu-util: ST's DFU device, alternate 0, the flash address with :leave", () => {
    expect(dfuCommand(loadBoard("netduinoplus2"), "f.bin").args).toEqual(["-d", "0483:df11", "-a", "0", "-s", "0x08000000:leave", "-D", "f.bin"]);
    expect(() => dfuCommand(loadBoard("microbit"), "f.bin")).toThrow(/no DFU bootloader/);
  });

  it("stm32flash: write, verify, start at the flash address", () => {
    expect(stm32flashCommand(loadBoard("netduinoplus2"), "f.bin", "/dev/ttyUSB0", 115200).args).toEqual(["-b", "115200", "-w", "f.bin", "-v", "-S", "0x08000000", "-g", "0x08000000", "/dev/ttyUSB0"]);
  });
});

describe("the errors", () => {
  const cmd = { tool: "openocd", args: [], debianPackage: "openocd" };
  it.each([
    [OPENOCD_FAILURES, "Error: unable to find a matching CMSIS-DAP device", "no probe found"],
    [OPENOCD_FAILURES, "Warn : UNEXPECTED idcode: 0x2ba01477", "wrong chip ID"],
    [OPENOCD_FAILURES, "Error: checksum mismatch - attempting binary compare\nverify failed", "verify failed"],
    [DFU_FAILURES, "dfu-util: No DFU capable USB device available", "no DFU device found: hold BOOT0 high"],
    [STM32FLASH_FAILURES, "Failed to init device.", "no answer from the ROM bootloader"],
    [STM32FLASH_FAILURES, "Unknown/unsupported device (Device ID: 0x410)", "wrong chip ID"],
  ])("%#: '%s' becomes a line saying %s", (patterns, output, says) => {
    expect(explainFailure(cmd, output, patterns, 1)).toContain(says);
  });

  it("an output no pattern knows gives its last error line and the exit code", () => {
    expect(explainFailure(cmd, "Info : something\nError: flash bank 2 is busy\n", OPENOCD_FAILURES, 1)).toBe("openocd failed (exit code 1): Error: flash bank 2 is busy");
  });

  it("finds the MICROBIT drive among the mounts, spaces escaped as /proc/mounts writes them", () => {
    const mounts = "/dev/sda1 / ext4 rw 0 0\n/dev/sdb /media/ann/MICROBIT vfat rw 0 0\n/dev/sdc /media/ann/my\\040disk vfat rw 0 0\n";
    expect(mountsNamed(mounts, "MICROBIT")).toEqual(["/media/ann/MICROBIT"]);
    expect(mountsNamed(mounts, "my disk")).toEqual(["/media/ann/my disk"]);
  });
});

/** A folder on PATH with a stand-in for tool that records its arguments and prints output. */
function standIn(tool: string, output: string, code: number): { env: Record<string, string>; argsFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-standin-"));
  const argsFile = path.join(dir, "args");
  fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nprintf '%s\\n' '${output}' >&2\nexit ${code}\n`, { mode: 0o755 });
  return { env: { ...env, PATH: `${dir}:${process.env.PATH}` }, argsFile };
}

describe("anyk flash with each tool", () => {
  it("--probe openocd runs OpenOCD on the built firmware.elf and reports success", async () => {
    const tool = standIn("openocd", "** Programming Finished **", 0);
    const r = await anyk(["flash", "hello", "--board", "microbit", "--probe", "openocd"], { env: tool.env, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("with OpenOCD (interface/cmsis-dap.cfg, target/nrf51.cfg): written, verified, reset");
    const args = fs.readFileSync(tool.argsFile, "utf8").trim().split("\n");
    expect(args.at(-1)).toMatch(/^program \{.*\/microbit\/hello\/firmware\.elf\} verify reset exit$/);
  }, 90_000);

  it("--probe openocd without a probe: one line saying so, exit 1", async () => {
    const tool = standIn("openocd", "Error: unable to find a matching CMSIS-DAP device", 1);
    const r = await anyk(["flash", "hello", "--board", "microbit", "--probe", "openocd"], { env: tool.env, timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^anyk: error: openocd: no probe found: is the board plugged in over USB/);
  }, 90_000);

  it("--dfu and --stm32flash run their tools on firmware.bin; a missing tool names its apt package", async () => {
    const dfu = standIn("dfu-util", "Download done.", 0);
    const r = await anyk(["flash", "hello", "--board", "netduinoplus2", "--dfu"], { env: dfu.env, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(dfu.argsFile, "utf8")).toMatch(/-D\n.*netduinoplus2\/hello\/firmware\.bin\n$/);
    const rom = standIn("stm32flash", "Failed to init device.", 1);
    const failed = await anyk(["flash", "hello", "--board", "netduinoplus2", "--stm32flash", "/dev/ttyUSB0"], { env: rom.env, timeoutMs: 60_000 });
    expect(failed.stderr).toContain("stm32flash: no answer from the ROM bootloader");
    const none = await anyk(["flash", "hello", "--board", "netduinoplus2", "--dfu"], { env: { ...env, PATH: path.dirname(process.execPath) }, timeoutMs: 60_000 });
    expect(none.stderr).toContain("dfu-util is not installed; install it with: sudo apt-get install -y dfu-util");
  }, 90_000);

  it("--drive copies firmware.hex onto the drive, and reports DAPLink's FAIL.TXT", async () => {
    const drive = fs.mkdtempSync(path.join(os.tmpdir(), "anyk-drive-"));
    fs.writeFileSync(path.join(drive, "DETAILS.TXT"), "DAPLink Firmware - see https://mbed.com/daplink\n");
    const r = await anyk(["flash", "hello", "--board", "microbit", "--drive", drive], { env, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const copied = fs.readFileSync(path.join(drive, "firmware.hex"), "utf8");
    expect(copied).toMatch(/^:020000040000FA\r?\n|^:10000000/);
    expect(copied.trim().split(/\r?\n/).at(-1)).toBe(":00000001FF");
    fs.writeFileSync(path.join(drive, "FAIL.TXT"), "The hex file cannot be decoded.\n");
    const failed = await anyk(["flash", "hello", "--board", "microbit", "--drive", drive], { env, timeoutMs: 60_000 });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("the board's interface chip refused the image: The hex file cannot be decoded.");
    const auto = await anyk(["flash", "hello", "--board", "microbit", "--drive", "auto"], { env, timeoutMs: 60_000 });
    expect(auto.stderr).toMatch(/no MICROBIT drive is mounted|MICROBIT drives are mounted/);
  }, 90_000);
});
