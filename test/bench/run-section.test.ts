import {isTimeoutError, TimeoutError} from 'ky';
import {describe, expect, test} from 'vitest';
import {runSection} from '../../bench/run-section.ts';

describe('a bench section', () => {
  test('resolves with its value', async () => {
    await expect(runSection('ok', async () => 42)).resolves.toEqual({name: 'ok', ok: true, value: 42});
  });

  test('that fails with a transient ky TimeoutError is reported, not thrown', async () => {
    const lines: string[] = [];
    const timeout = new TimeoutError(new Request('http://127.0.0.1:1/bench'));
    expect(isTimeoutError(timeout)).toBe(true);
    const outcome = await runSection(
      'overhead',
      async () => {
        throw timeout;
      },
      (line) => lines.push(line),
    );
    expect(outcome).toEqual({name: 'overhead', ok: false, error: expect.stringMatching(/^TimeoutError: /)});
    expect(lines).toEqual([
      expect.stringContaining('Section "overhead" failed, the others go on: TimeoutError'),
    ]);
  });

  test('that throws a non-error still resolves', async () => {
    const outcome = await runSection(
      'odd',
      async () => {
        throw 'boom';
      },
      () => {},
    );
    expect(outcome).toEqual({name: 'odd', ok: false, error: 'boom'});
  });
});
