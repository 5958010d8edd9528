/** A command job's name in lists, the same in the CLI and the UI: its own, or the program and its first argument. */
export function commandName(spec: { name?: string; argv: readonly string[] }): string {
  if (spec.name) return spec.name;
  const program = spec.argv[0]?.split('/').pop() ?? '';
  return [program, ...spec.argv.slice(1, 2)].join(' ');
}
