import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README and docs/ link each other with relative links only, and every link lands on a file and,
// with a #fragment, on one of its headings (GitHub's anchor rules).

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (page: string) => readFileSync(join(root, page), 'utf8');

/** Markdown links outside fenced code: [text](target). */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const m of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe('README and docs/ links', () => {
  it('the README stays a front page (at most 12 KB)', () => {
    expect(statSync(join(root, 'README.md')).size).toBeLessThanOrEqual(12 * 1024);
  });

  it.each(pages)('%s: every relative link resolves, anchors included', (page) => {
    const broken: string[] = [];
    for (const link of linksOf(read(page))) {
      if (/^[a-z]+:/i.test(link)) continue;
      const [path, fragment] = link.split('#') as [string, string | undefined];
      const target = path === '' ? page : relative(root, join(root, dirname(page), path));
      if (!existsSync(join(root, target))) {
        broken.push(`${link} (no file ${target})`);
        continue;
      }
      if (fragment !== undefined && target.endsWith('.md') && !anchorsOf(read(target)).has(fragment))
        broken.push(`${link} (no heading #${fragment} in ${target})`);
    }
    expect(broken).toEqual([]);
  });

  it('the README links every docs page, and every docs page links back to the README', () => {
    const fromReadme = new Set(linksOf(read('README.md')).map((l) => l.split('#')[0]));
    for (const page of pages.filter((p) => p !== 'README.md')) {
      expect(fromReadme, page).toContain(page);
      expect(
        linksOf(read(page)).some((l) => l.split('#')[0] === '../README.md'),
        page,
      ).toBe(true);
    }
  });

  it('links only within the repository by relative paths (no absolute GitHub links to it)', () => {
    for (const page of pages)
      expect(
        linksOf(read(page)).filter((l) => /github\.com\/[^/]+\/tapdesk/i.test(l)),
        page,
      ).toEqual([]);
  });
});
