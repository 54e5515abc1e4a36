import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anchorOf, catalogueOf, renderErrorCatalogue, withCatalogue } from './error-catalogue-doc';
import { ERROR_CATALOGUE, PROBLEM_TYPE_BASE, problemTypeOf, type ErrorCode } from './error-codes';

const ROOT = join(__dirname, '..', '..', '..');
const page = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The id GitHub gives a heading (github-slugger): tags dropped, lower case, punctuation gone. */
function slugOf(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe("docs/api.md's error catalogue", () => {
  it('is the one rendered from ERROR_CATALOGUE', () => {
    const written = catalogueOf(page).split('\n');
    const rendered = renderErrorCatalogue().split('\n');
    const line = rendered.findIndex((text, i) => written[i] !== text);
    if (line >= 0 || written.length !== rendered.length) {
      const at = line >= 0 ? line : Math.min(written.length, rendered.length);
      throw new Error(
        `docs/api.md's error catalogue differs from libs/errors/src/error-codes.ts ` +
          `(line ${at + 1} of the generated part: expected ${JSON.stringify(rendered[at])}, ` +
          `found ${JSON.stringify(written[at])}): run npm run docs:api`,
      );
    }
  });

  it('gives every code a section whose id is the fragment of its problem type URI', () => {
    for (const code of codes) {
      const anchor = code.toLowerCase().replace(/_/g, '-');
      expect(anchorOf(code)).toBe(anchor);
      expect(problemTypeOf(code)).toBe(`${PROBLEM_TYPE_BASE}${anchor}`);
      expect(page.split(`<a id="${anchor}"></a>`)).toHaveLength(2);
    }
  });

  it("keeps the hand-written headings' ids apart from the codes' ids", () => {
    const handWritten = withCatalogue(page, '');
    const headings = [...handWritten.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slugOf(m[1]));
    const anchors = new Set(codes.map(anchorOf));
    expect(headings.filter((slug) => anchors.has(slug))).toEqual([]);
  });

  it('is where problem type URIs point: this repository, docs/api.md', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      repository?: { url?: string };
    };
    expect(PROBLEM_TYPE_BASE).toBe(`${pkg.repository?.url}/blob/main/docs/api.md#`);
  });

  it('replaces only what lies between the markers', () => {
    const sample = 'intro\n<!-- error-catalogue:start -->old<!-- error-catalogue:end -->\noutro\n';
    expect(withCatalogue(sample, '\nnew\n')).toBe(
      'intro\n<!-- error-catalogue:start -->\nnew\n<!-- error-catalogue:end -->\noutro\n',
    );
    expect(() => catalogueOf('no markers')).toThrow('error-catalogue:start');
  });
});
