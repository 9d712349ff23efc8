import { describe, it } from 'vitest';
import { expectSameVerdicts } from './clickhouseOracle.js';

// SET and SETTINGS values, judged by ClickHouse (chDB) as well.

describe('SET values (#15)', () => {
  it('reads a query parameter value as ClickHouse does: a literal, a name, or arrays, tuples and maps of literals', () => {
    expectSameVerdicts([
      'SET param_x = numbers',
      'SET param_x = 02661_db',
      'SET param_x = "u1"',
      'SET param_x = a.b',
      'SET param_x = (1, 2)',
      "SET param_x = (((1, 'a', 3.14)))",
      "SET param_x = [{1: (2, 's'), 3: (4, 't')}]",
      "SET param_x = {'ghj': {'klm': [16, 17]}, 'nop': {'rst': [18]}}",
      'SET param_x = []',
      'SET param_x = [1] + 1',
      'SET param_x = (1) + 1',
      'SET param_x = f(1)',
      'SET param_x = [a, b]',
      "SET param_x = {'a': x}",
      "SET param_x = ({'a': 1}, b)",
      'SET param_x = {a:String}',
      'SET x = numbers',
      'SET x = [1, 2]',
    ]);
  });

  it('reads signed inf and nan', () => {
    expectSameVerdicts(['SET x = -inf', 'SET x = +inf', 'SET x = - INF', 'SET x = -nan', 'SET x = -infinity', 'SET x = -nul', 'SET x = --1']);
  });
});
