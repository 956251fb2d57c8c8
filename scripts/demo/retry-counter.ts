/** @module Counts and narrates the retries and throttles a demo section's ky instance reports. */
import type {RetryEvent} from '../../src/index.ts';
import {plural} from './format.ts';
import {out} from './narrator.ts';

/** Counts the retries and throttles an instance reports, and narrates each. */
export const retryCounter = (describe: (event: RetryEvent) => string | undefined) => {
  const counts = {retries: 0, throttles: 0};
  const onRetry = (event: RetryEvent): void => {
    if (event.verdict.action === 'throttle') counts.throttles++;
    else counts.retries++;
    const line = describe(event);
    if (line !== undefined) out.say(line);
  };
  const summary = (): string =>
    `${plural(counts.retries, 'retry', 'retries')}, ${plural(counts.throttles, 'throttle')}`;
  return {counts, onRetry, summary};
};
