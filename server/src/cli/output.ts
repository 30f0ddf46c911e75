// Where the CLI's output goes. process.stdout and process.stderr are streams whose first use costs a few
// milliseconds of every run (they load the stream, socket or terminal modules); the CLI writes its whole
// report at once, so into a pipe or a file it writes the bytes itself, synchronously. A terminal keeps the
// stream (and a run there is read by a person, not timed by a script).
import { fstatSync, writeSync } from 'node:fs';

/** Whether the descriptor may be a terminal: a character device (a terminal, or /dev/null). */
function maybeTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return true;
  }
}

/** Whether `fd` is a terminal, asking node:tty only about character devices. */
export function isTerminal(fd: 1 | 2): boolean {
  return maybeTerminal(fd) && (fd === 1 ? process.stdout : process.stderr).isTTY === true;
}

/**
 * A writer of everything given to it to `fd`, in order. Whatever a direct write cannot do (a non-blocking
 * pipe that is full, a closed one, any error) goes to the stream from there on, which handles it as it
 * always did.
 */
export function outputTo(fd: 1 | 2): (s: string) => void {
  const stream = (): NodeJS.WriteStream => (fd === 1 ? process.stdout : process.stderr);
  let direct = !maybeTerminal(fd);
  return (s) => {
    if (!direct) {
      stream().write(s);
      return;
    }
    const bytes = Buffer.from(s, 'utf8');
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(fd, bytes, done, bytes.length - done);
      } catch {
        direct = false;
        stream().write(bytes.subarray(done));
        return;
      }
    }
  };
}
