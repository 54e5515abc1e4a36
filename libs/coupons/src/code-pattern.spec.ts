import {
  CodeGenerator,
  DEFAULT_CHARSET,
  fitsComfortably,
  patternCapacity,
  patternProblem,
  patternRegex,
  randomRank,
  randomRanks,
} from './code-pattern';

describe('code patterns', () => {
  it('counts capacity as charset^slots', () => {
    expect(patternCapacity('X##', DEFAULT_CHARSET)).toBe(1024);
    expect(patternCapacity('########', DEFAULT_CHARSET)).toBe(32 ** 8);
    expect(patternCapacity('A-#-#', 'AB')).toBe(4);
  });

  it('asks for room to spare: count may use at most half of what is still free', () => {
    expect(fitsComfortably(1024, 0, 512)).toBe(true);
    expect(fitsComfortably(1024, 0, 513)).toBe(false);
    expect(fitsComfortably(1024, 400, 312)).toBe(true);
    expect(fitsComfortably(1024, 400, 313)).toBe(false);
    expect(fitsComfortably(1024, 2000, 1)).toBe(false);
  });

  it('matches exactly the codes a pattern can make, from its literal prefix', () => {
    const re = new RegExp(patternRegex('BF26-##-#', 'AB-_'));
    expect(re.source.startsWith('^BF26-')).toBe(true);
    for (const code of ['BF26-AB-_', 'BF26----_', 'BF26-__-A'])
      expect([code, re.test(code)]).toEqual([code, true]);
    // Another length, a character outside the charset, a wrong literal, a longer or shorter code.
    for (const code of ['BF26-AB-', 'BF26-AC-A', 'BF26-ABXA', 'BF26-AB-AA', 'XBF26-AB-A', 'bf26-AB-A']) {
      expect([code, re.test(code)]).toEqual([code, false]);
    }
    // Every code the generator draws matches; nothing else of the same length does.
    const generator = new CodeGenerator('Q-##', DEFAULT_CHARSET);
    const q = new RegExp(patternRegex('Q-##', DEFAULT_CHARSET));
    for (let i = 0; i < 200; i++) expect(q.test(generator.next())).toBe(true);
    expect(q.test('Q-0O')).toBe(false);
  });

  it('rejects patterns and charsets that make unusable codes', () => {
    expect(patternProblem('SALE-####', DEFAULT_CHARSET)).toBeUndefined();
    expect(patternProblem('SALE', DEFAULT_CHARSET)).toMatch(/#/);
    expect(patternProblem('A/#', DEFAULT_CHARSET)).toMatch(/literals/);
    expect(patternProblem('#'.repeat(65), DEFAULT_CHARSET)).toMatch(/64/);
    expect(patternProblem('##', 'AAB')).toMatch(/repeat/);
    expect(patternProblem('##', 'A')).toMatch(/2-64/);
    expect(patternProblem('##', 'AB+')).toMatch(/letters/);
  });

  it('fills each # from the charset and keeps literals', () => {
    const generator = new CodeGenerator('GEN-##-#', 'XYZ');
    for (let i = 0; i < 500; i++) expect(generator.next()).toMatch(/^GEN-[XYZ]{2}-[XYZ]$/);
  });

  it('draws every character equally often (rejection sampling, no modulo bias)', () => {
    // 256 % 3 = 1: plain modulo would give the first character 86/256 instead of 1/3.
    const generator = new CodeGenerator('#', 'ABC');
    const counts: Record<string, number> = { A: 0, B: 0, C: 0 };
    const draws = 300_000;
    for (let i = 0; i < draws; i++) counts[generator.next()]++;
    for (const c of 'ABC') expect(Math.abs(counts[c] / draws - 1 / 3)).toBeLessThan(0.004);
  });

  it.each([
    ['in a batch', () => randomRanks(1000)],
    ['one at a time', () => Array.from({ length: 1000 }, randomRank)],
  ])('draws 31-bit ranks, %s, over the whole range', (_, draw) => {
    const ranks = draw();
    expect(ranks.every((r) => Number.isInteger(r) && r >= 0 && r < 2 ** 31)).toBe(true);
    expect(new Set(ranks).size).toBeGreaterThan(990);
    // Both halves of the range are drawn: a rank seeks the first free code at or after it.
    expect(ranks.filter((r) => r >= 2 ** 30).length).toBeGreaterThan(400);
    expect(ranks.filter((r) => r < 2 ** 30).length).toBeGreaterThan(400);
  });
});
