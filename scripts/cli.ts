// anyk: the command-line entry. One module per subcommand in scripts/commands/.
import { helpText, parseCommandArgs, type Command } from "./lib/command.js";
import { UserError, unknownName } from "./lib/errors.js";
import { boardsCommand } from "./commands/boards.js";
import { buildCommand } from "./commands/build.js";
import { runCommand } from "./commands/run.js";
import { genCommand } from "./commands/gen.js";
import { bootCommand } from "./commands/boot.js";
import { componentsCommand } from "./commands/components.js";
import { sizeCommand } from "./commands/size.js";
import { flashCommand } from "./commands/flash.js";
import { monitorCommand } from "./commands/monitor.js";
import { initCommand } from "./commands/init.js";
import { benchCommand } from "./commands/bench.js";
import { keygenCommand } from "./commands/keygen.js";

export const COMMANDS: Command[] = [initCommand, buildCommand, runCommand, bootCommand, flashCommand, monitorCommand, keygenCommand, sizeCommand, benchCommand, boardsCommand, componentsCommand, genCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  return [
    "Usage: anyk <command> [options]",
    "",
    "anykernel: TypeScript to bare-metal unikernel images for microcontrollers.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Run 'anyk <command> --help' for the options of one command.",
  ].join("\n") + "\n";
}

export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`anyk boot | head`) is not an error: end quietly, as other tools do.
  // The exit handlers (QEMU's child included) still run.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    process.stdout.write("anyk 0.1.0\n");
    return 0;
  }
  try {
    const cmd = COMMANDS.find((c) => c.name === name);
    if (!cmd) throw unknownName("command", name, COMMANDS.map((c) => c.name));
    const { values, positionals } = parseCommandArgs(cmd, rest);
    if (values.help) {
      process.stdout.write(helpText(cmd));
      return 0;
    }
    return await cmd.run(positionals, values as Record<string, string | boolean | undefined>);
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`anyk: error: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
