/** @module The demo's narration: lines printed for good and a live progress line on a terminal. */

const tty = process.stdout.isTTY === true;
const CLEAR = '\r\u001B[2K';

/**
 * The narration: `say` prints a line for good (replacing the live line), `update` rewrites the
 * live progress line on a terminal; piped, it prints the updates marked as events, one line each.
 */
export const narrator = () => {
  let live = false;
  const clear = (): void => {
    if (live) process.stdout.write(CLEAR);
    live = false;
  };
  return {
    say: (line: string): void => {
      clear();
      console.log(line);
    },
    update: (line: string, event = true): void => {
      if (tty) {
        process.stdout.write(`${CLEAR}${line}`);
        live = true;
      } else if (event) {
        console.log(line);
      }
    },
  };
};

/** The one narrator every section shares, so a live line is always cleared before the next line. */
export const out = narrator();
