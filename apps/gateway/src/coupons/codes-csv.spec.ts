import { CSV_HEADER, csvCell, csvRows, fileSlug } from './codes-csv';

describe('the codes export as CSV', () => {
  it('leaves plain cells alone and writes null as an empty cell', () => {
    expect(csvCell('SUMMER-0001')).toBe('SUMMER-0001');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(null)).toBe('');
  });

  it('quotes a cell with a comma, quote or line break, doubling its quotes', () => {
    expect(csvCell('A,B')).toBe('"A,B"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses a cell a spreadsheet would run as a formula with a leading single quote', () => {
    for (const start of ['=', '+', '-', '@', '\t']) expect(csvCell(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('A=1')).toBe('A=1');
  });

  it('writes the header and one CRLF line per code, null times empty', () => {
    expect(CSV_HEADER).toBe('code,status,assignedTo,assignedAt,redemptionCount\r\n');
    expect(
      csvRows([
        { code: 'A1', status: 'AVAILABLE', assignedTo: null, assignedAt: null, redemptionCount: 0 },
        {
          code: 'B2',
          status: 'REDEEMED',
          assignedTo: 'u-1',
          assignedAt: '2026-12-01T10:00:00.000Z',
          redemptionCount: 2,
        },
      ]),
    ).toBe('A1,AVAILABLE,,,0\r\nB2,REDEEMED,u-1,2026-12-01T10:00:00.000Z,2\r\n');
    expect(csvRows([])).toBe('');
  });

  it("makes a file name from the book's name that every system takes", () => {
    expect(fileSlug('Summer Sale 2026!')).toBe('summer-sale-2026');
    expect(fileSlug('  Crème brûlée / "quoted" ')).toBe('creme-brulee-quoted');
    expect(fileSlug('日本')).toBe('coupon-book');
    expect(fileSlug('x'.repeat(200))).toHaveLength(80);
  });
});
