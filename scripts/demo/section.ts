/** @module The heading that opens each of the demo's four vendor sections. */
import {out} from './narrator.ts';

/** Prints `[index/4] title` and the indented narration lines under it. */
export const section = (index: number, title: string, ...narration: string[]): void => {
  out.say('');
  out.say(`[${index}/4] ${title}`);
  for (const line of narration) out.say(`      ${line}`);
};
