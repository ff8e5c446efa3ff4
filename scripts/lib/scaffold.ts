// What `anyk init` writes: a minimal project that depends on anykernel, names its app and board in
// anykernel.json, type-checks its AssemblyScript in an editor, and boots with `npm start`.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./paths.js";

export interface ScaffoldOptions {
  name: string;
  board: string;
  /** The dependency spec package.json gives anykernel ("^0.1.0", "file:../anykernel-0.1.0.tgz"). */
  toolchain: string;
}

/** The toolchain's own version, for the default dependency spec. */
export function toolchainVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** How a new project should depend on this toolchain: the registry version when installed from one, else this folder. */
export function defaultToolchainSpec(): string {
  return ROOT.split(path.sep).includes("node_modules") ? `^${toolchainVersion()}` : `file:${ROOT}`;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

/** The files of a new project, by path relative to its folder. */
export function scaffoldFiles(o: ScaffoldOptions): Array<[string, string]> {
  return [
    ["package.json", json({
      name: o.name,
      version: "0.1.0",
      private: true,
      type: "module",
      scripts: { start: "anyk boot", test: "anyk run", build: "anyk build", size: "anyk size" },
      dependencies: { anykernel: o.toolchain },
    })],
    ["anykernel.json", json({
      $comment: "The project: its app folder, the board commands use without --board, and folders of its own components and boards.",
      name: o.name,
      app: "src",
      board: o.board,
      components: [],
      boards: "boards",
    })],
    ["src/main.ts", [
      `// ${o.name}: the app. It runs on the kernel as AssemblyScript: \`npm start\` boots it in QEMU,`,
      '// `npm test` runs it in Node against simulated devices. "anykernel" is the app API; the',
      '// kernel\'s own modules are "anykernel/<path under the toolchain\'s kernel/>".',
      'import { print, println } from "anykernel";',
      'import { BOARD_NAME } from "anykernel/base/board";',
      "",
      "export function main(): i32 {",
      `  print("Hello from ${o.name} on ");`,
      "  println(BOARD_NAME);",
      "  return 0;",
      "}",
      "",
    ].join("\n")],
    ["tsconfig.json", json({
      $comment: "For editors only: anyk compiles with AssemblyScript. Its types, and the kernel's modules under their import names.",
      extends: "assemblyscript/std/assembly.json",
      compilerOptions: { baseUrl: ".", paths: { "anykernel/*": ["./node_modules/anykernel/kernel/*"] } },
      include: ["src/**/*.ts"],
    })],
    [".gitignore", "node_modules/\nbuild/\n"],
    ["README.md", [
      `# ${o.name}`,
      "",
      "An [anykernel](https://www.npmjs.com/package/anykernel) project: TypeScript (AssemblyScript) for a",
      `microcontroller, here the ${o.board} board (anykernel.json).`,
      "",
      "```",
      "npm install && npm start     # build the firmware and boot it in QEMU",
      "npm test                     # run the app in Node against simulated devices",
      "```",
      "",
      "Booting needs QEMU and the GNU Arm toolchain from the OS: on Debian or Ubuntu,",
      "`sudo apt-get install -y qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi`.",
      "`npx anyk --help` lists the commands; `npx anyk flash --help` how the firmware reaches a real board.",
      "",
    ].join("\n")],
  ];
}
