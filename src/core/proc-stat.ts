/**
 * The fields of a Linux `/proc/<pid>/stat` line, read the one safe way: the command name (field 2)
 * is in parentheses and may itself hold spaces and parentheses, so fields are counted after its
 * last ')'. Index 0 is field 3 (the state); proc(5)'s field n is at index n - 3.
 */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** proc(5)'s field number (1-based) as an index into `statFields`. */
export const statField = (n: number): number => n - 3;
