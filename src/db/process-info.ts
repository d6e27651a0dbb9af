// What the operating system says about another process, to tell whether a pid written in a file
// still names the process that wrote it. Linux answers through /proc; elsewhere only whether
// some process has that pid is known (null from the functions that need /proc).
import { readFile, readlink } from 'node:fs/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // It exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When the process started, in clock ticks since boot: with the pid, it names one process for good. */
export async function startTimeOf(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, from field 3 (state); start time is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The program and arguments the process runs, and its working folder. */
export async function commandOf(pid: number): Promise<{ argv: string[]; cwd: string } | null> {
  try {
    const [cmdline, cwd] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readlink(`/proc/${pid}/cwd`)]);
    return { argv: cmdline.split('\0').filter(Boolean), cwd };
  } catch {
    return null;
  }
}
