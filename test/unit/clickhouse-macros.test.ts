import { describe, expect, it } from 'vitest';
import { applyConditionalAll, expandBackendMacros, expandClickHouseMacros } from '../helpers/clickhouse-macros.js';

// The official plugin's own test vectors (grafana/clickhouse-datasource at 1d04063a):
// pkg/macros/macros_test.go TestInterpolate and src/data/CHDatasource.test.ts "Conditional All".
const ctx = {
  from: new Date('2014-11-12T11:45:26.123Z'),
  to: new Date('2015-11-12T11:45:26.456Z'),
  intervalSeconds: 20,
  variables: {},
};

describe('the ClickHouse plugin macro expansion the panel tests use', () => {
  it.each([
    ['select * from foo where $__timeFilter(cast(sth as timestamp))', 'select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)'],
    ['select * from foo where $__timeFilter(cast(sth as timestamp) )', 'select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)'],
    ['select * from foo where $__timeFilter_ms(cast(sth as timestamp))', 'select * from foo where cast(sth as timestamp) >= fromUnixTimestamp64Milli(1415792726123) AND cast(sth as timestamp) <= fromUnixTimestamp64Milli(1447328726456)'],
    ['select * from foo where ( date >= $__fromTime and date <= $__toTime ) limit 100', 'select * from foo where ( date >= toDateTime(1415792726) and date <= toDateTime(1447328726) ) limit 100'],
    ['select * from foo where ( date >= $__fromTime_ms ) and ( date <= $__toTime_ms ) limit 100', 'select * from foo where ( date >= fromUnixTimestamp64Milli(1415792726123) ) and ( date <= fromUnixTimestamp64Milli(1447328726456) ) limit 100'],
  ])('macros_test.go: %s', (input, output) => {
    expect(expandBackendMacros(input, ctx)).toBe(output);
  });

  it('query-editor.md: $__timeInterval(column) and $__interval_s with a 20 s interval', () => {
    expect(expandBackendMacros('$__timeInterval(column)', ctx)).toBe('toStartOfInterval(toDateTime(column), INTERVAL 20 second)');
    expect(expandBackendMacros('$__interval_s', ctx)).toBe('20');
  });

  it('CHDatasource.test.ts: $__conditionalAll with All, with values, and twice', () => {
    const sql = 'select stuff from table where $__conditionalAll(fieldVal in ($fieldVal), $fieldVal);';
    expect(applyConditionalAll(sql, { fieldVal: '$__all' })).toBe('select stuff from table where 1=1;');
    expect(applyConditionalAll(sql, { fieldVal: ['val1', 'val2'] })).toBe('select stuff from table where fieldVal in ($fieldVal);');
    const twice = 'select stuff from table where $__conditionalAll(fieldVal in ($fieldVal), $fieldVal) and $__conditionalAll(fieldVal in ($fieldVal2), $fieldVal2);';
    expect(applyConditionalAll(twice, { fieldVal: ['val1', 'val2'], fieldVal2: '$__all' })).toBe('select stuff from table where fieldVal in ($fieldVal) and 1=1;');
  });

  it('template-variables.md: ${var:singlequote} inside $__conditionalAll, then the backend macros', () => {
    const sql = 'SELECT count() FROM t WHERE $__conditionalAll(database IN (${database:singlequote}), $database) AND $__timeFilter(ts)';
    expect(expandClickHouseMacros(sql, { ...ctx, variables: { database: ['db1', "o'db"] } })).toBe(
      "SELECT count() FROM t WHERE database IN ('db1','o\\'db') AND ts >= toDateTime(1415792726) AND ts <= toDateTime(1447328726)",
    );
    expect(expandClickHouseMacros(sql, { ...ctx, variables: { database: '$__all' } })).toBe(
      'SELECT count() FROM t WHERE 1=1 AND ts >= toDateTime(1415792726) AND ts <= toDateTime(1447328726)',
    );
  });

  it('refuses a macro it does not know', () => {
    expect(() => expandBackendMacros('$__timeGroup(ts, 5m)', ctx)).toThrow(/not expanded here/);
  });
});
