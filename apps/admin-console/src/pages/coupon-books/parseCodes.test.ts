import { chunks, parseCodes } from './parseCodes';

describe('parseCodes', () => {
  it('reads one code per line, trimmed', () => {
    expect(parseCodes('AAA-1\n  BBB-2  \nCCC_3\n').codes).toEqual(['AAA-1', 'BBB-2', 'CCC_3']);
  });

  it('takes the first column of a CSV and skips a "code" header in any case', () => {
    const parsed = parseCodes('Code,owner\nAAA,alice\nBBB,bob');
    expect(parsed.codes).toEqual(['AAA', 'BBB']);
    expect(parsed.headerSkipped).toBe(true);
    expect(parseCodes('CODE\nX1').codes).toEqual(['X1']);
  });

  it('keeps "code" as a code when it is not on the first line', () => {
    expect(parseCodes('AAA\ncode').codes).toEqual(['AAA', 'code']);
  });

  it('handles CRLF, lone CR, blank lines and a byte-order mark', () => {
    const parsed = parseCodes('\uFEFFcode\r\nAAA\r\n\r\n   \r\nBBB\rCCC\r\n');
    expect(parsed.codes).toEqual(['AAA', 'BBB', 'CCC']);
    expect(parsed.rejected).toEqual([]);
  });

  it('unquotes cells, including commas and doubled quotes inside them', () => {
    const parsed = parseCodes('"AAA",x\n" BBB ","a, b"\n"C""D",y');
    expect(parsed.codes).toEqual(['AAA', 'BBB']);
    expect(parsed.rejected).toEqual([{ line: 3, text: '"C""D",y', reason: expect.stringContaining('1-64') }]);
  });

  it('counts and drops duplicates within the file, keeping the first', () => {
    const parsed = parseCodes('AAA\nBBB\nAAA\nAAA\nBBB');
    expect(parsed.codes).toEqual(['AAA', 'BBB']);
    expect(parsed.duplicates).toBe(3);
  });

  it('reports the lines it could not use, with their line numbers', () => {
    const parsed = parseCodes('AAA\nhas space\n,second only\nÄÖÜ\n' + 'X'.repeat(65) + '\nBBB');
    expect(parsed.codes).toEqual(['AAA', 'BBB']);
    expect(parsed.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(parsed.rejected[1].reason).toBe('the first column is empty');
  });

  it('counts lines inside a quoted multi-line cell, and reports a quote never closed', () => {
    const parsed = parseCodes('"A\nB",x\nCCC\n"DDD\nEEE');
    expect(parsed.codes).toEqual(['CCC']);
    expect(parsed.rejected).toEqual([
      { line: 1, text: '"A\nB",x', reason: expect.any(String) },
      { line: 4, text: '"DDD\nEEE', reason: 'a quote is never closed' },
    ]);
  });

  it('finds nothing in an empty file', () => {
    expect(parseCodes('')).toEqual({ codes: [], duplicates: 0, headerSkipped: false, rejected: [] });
  });
});

describe('chunks', () => {
  it('slices 25,000 codes into 10,000 + 10,000 + 5,000', () => {
    const items = Array.from({ length: 25_000 }, (_, i) => i);
    expect(chunks(items).map((c) => c.length)).toEqual([10_000, 10_000, 5_000]);
    expect(chunks(items)[2][0]).toBe(20_000);
  });
});
