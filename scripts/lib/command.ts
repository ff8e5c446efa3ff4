// The shape every subcommand module has, and the argument parsing they share.
import { currentProject } from "./project.js";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>[string] & { help: string; value?: string };

export interface Command {
  name: string;
  summary: string;
  /** Positional arguments, as shown in the usage line: "<app>". */
  args: string;
  options: Record<string, OptionSpec>;
  /** Extra lines for --help: examples, notes. */
  details?: string[];
  run(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<number>;
}

export function helpText(cmd: Command): string {
  const lines = [`Usage: anyk ${cmd.name}${cmd.args ? " " + cmd.args : ""} [options]`, "", cmd.summary, "", "Options:"];
  const entries = Object.entries({ ...cmd.options, help: { type: "boolean", help: "show this help" } as OptionSpec });
  const flags = entries.map(([name, spec]) => `  --${name}${spec.type === "string" ? ` <${spec.value ?? "value"}>` : ""}`);
  const width = Math.max(...flags.map((f) => f.length)) + 2;
  entries.forEach(([, spec], i) => lines.push(flags[i].padEnd(width) + spec.help));
  if (cmd.details) lines.push("", ...cmd.details);
  return lines.join("\n") + "\n";
}

export function parseCommandArgs(cmd: Command, argv: string[]) {
  const options: ParseArgsConfig["options"] = { help: { type: "boolean" } };
  for (const [name, spec] of Object.entries(cmd.options)) {
    options[name] = { type: spec.type };
    if (spec.short) options[name].short = spec.short;
    if (spec.multiple) options[name].multiple = true;
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`anyk ${cmd.name}: ${(err as Error).message.split("\n")[0]} (see 'anyk ${cmd.name} --help')`);
  }
}

/** Exactly `count` positionals, or a usage error naming what is missing. */
export function expectPositionals(cmd: Command, positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`anyk ${cmd.name}: missing ${names[positionals.length]} (usage: anyk ${cmd.name} ${cmd.args})`);
  if (positionals.length > names.length) throw new UsageError(`anyk ${cmd.name}: unexpected argument '${positionals[names.length]}' (usage: anyk ${cmd.name} ${cmd.args})`);
  return positionals;
}

/** The one <app> argument, or none in a project (anykernel.json names its app). */
export function appArgument(cmd: Command, positionals: string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`anyk ${cmd.name}: unexpected argument '${positionals[1]}' (usage: anyk ${cmd.name} ${cmd.args})`);
  if (positionals.length === 0 && !currentProject()) throw new UsageError(`anyk ${cmd.name}: missing <app> (usage: anyk ${cmd.name} ${cmd.args}); in a project made by 'anyk init' it defaults to the project's app`);
  return positionals[0];
}

/** --board, else the project's board (anykernel.json), else a usage error. */
export function boardArgument(cmd: Command, values: Record<string, unknown>): string {
  const v = values.board;
  if (typeof v === "string" && v !== "") return v;
  const fromProject = currentProject()?.board;
  if (fromProject) return fromProject;
  throw new UsageError(`anyk ${cmd.name}: --board is required (see 'anyk boards'), or set "board" in anykernel.json`);
}

export function requireString(cmd: Command, values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`anyk ${cmd.name}: --${name} is required (see 'anyk ${cmd.name} --help')`);
  return v;
}

/** An optional --<name> of seconds, as a positive number, or a usage error saying what is valid. */
/** --seed: a non-negative integer below 2^32, or undefined when not given. */
export function optionalSeed(cmd: Command, values: Record<string, unknown>): number | undefined {
  const value = values.seed;
  if (value === undefined) return undefined;
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new UsageError(`anyk ${cmd.name}: --seed must be an integer from 0 to 4294967295, got '${value}'`);
  return seed;
}

/** A TCP/UDP port option below 65535 (its neighbour is used too), when given. */
export function optionalPort(cmd: Command, values: Record<string, unknown>, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65534) throw new UsageError(`anyk ${cmd.name}: --${name} must be a port from 1024 to 65534, got '${value}'`);
  return port;
}

export function optionalSeconds(cmd: Command, values: Record<string, unknown>, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`anyk ${cmd.name}: --${name} must be a positive number of seconds, got '${value}'`);
  return seconds;
}
