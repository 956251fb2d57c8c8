import {describe, expect, test} from 'vitest';
import {codeNotes} from '../../scripts/code-notes.ts';
import {statusRule} from '../../src/classify/default-status-rules.ts';
import {brightdata, huaweiCloud, type Rule, supametas, upyun, type Vendor} from '../../src/index.ts';

const vendors: readonly Vendor[] = [brightdata, upyun, huaweiCloud, supametas];

const rows = vendors.flatMap((vendor) =>
  Object.entries(vendor.codes as Record<string, Rule>).map(([code, rule]) => ({
    vendor,
    name: vendor.name,
    code,
    rule,
    note: codeNotes(vendor.name).get(code),
  })),
);

describe('every code table reads like its vendor documentation', () => {
  test.each(rows)('$name $code has an HTTP status and a message', ({rule}) => {
    expect(Number.isInteger(rule.status)).toBe(true);
    expect(rule.message?.trim().length ?? 0).toBeGreaterThan(0);
  });

  test.each(rows)('$name $code ships no prose: its note is a comment in the source', ({rule}) => {
    expect(rule.note).toBeUndefined();
  });

  test.each(rows)('$name $code explains itself where it differs from its status', ({vendor, rule, note}) => {
    const byStatus = rule.status === undefined ? undefined : statusRule(rule.status, vendor.statuses);
    const differs =
      byStatus === undefined || byStatus.category !== rule.category || byStatus.action !== rule.action;
    if (differs) {
      expect(note?.trim().length ?? 0).toBeGreaterThan(0);
      expect(note).not.toContain('\n');
    }
  });
});
