import { describe, expect, it } from 'vitest';
import { compareVersions } from './versions.js';

describe('compareVersions', () => {
  it('orders dotted versions part by part as numbers', () => {
    const versions = ['10', '2.1', '1.10', '2', '1.2', '1', '1.1', '20240105093000', '003'];
    expect([...versions].sort(compareVersions)).toEqual(['1', '1.1', '1.2', '1.10', '2', '2.1', '003', '10', '20240105093000']);
  });

  it('reads leading zeros and trailing zero parts as Flyway does', () => {
    expect(compareVersions('1.0', '1')).toBe(0);
    expect(compareVersions('001', '1')).toBe(0);
    expect(compareVersions('1.01', '1.1')).toBe(0);
  });

  it('compares versions longer than a double holds exactly', () => {
    expect(compareVersions('90071992547409930', '90071992547409931')).toBe(-1);
  });
});
