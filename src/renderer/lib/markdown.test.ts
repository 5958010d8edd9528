import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('the description reader', () => {
  it('reads headings, paragraphs, lists and fenced code', () => {
    const blocks = parseMarkdown('# CO2\n\nMonthly ppm,\nMauna Loa.\n\n- one\n- two\n\n1. first\n\n```\n<b>raw</b>\n```');
    expect(blocks.map((b) => b.t)).toEqual(['heading', 'paragraph', 'list', 'list', 'code']);
    expect(blocks[1]).toEqual({ t: 'paragraph', children: [{ t: 'text', text: 'Monthly ppm, Mauna Loa.' }] });
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ text: 'one' }], [{ text: 'two' }]] });
    expect(blocks[3]).toMatchObject({ ordered: true });
    expect(blocks[4]).toEqual({ t: 'code', text: '<b>raw</b>' });
  });

  it('reads inline code, emphasis and web links', () => {
    expect(parseInline('a `x<y` **bold _it_** [site](https://example.org/a)')).toEqual([
      { t: 'text', text: 'a ' },
      { t: 'code', text: 'x<y' },
      { t: 'text', text: ' ' },
      { t: 'strong', children: [{ t: 'text', text: 'bold ' }, { t: 'em', children: [{ t: 'text', text: 'it' }] }] },
      { t: 'text', text: ' ' },
      { t: 'link', href: 'https://example.org/a', children: [{ t: 'text', text: 'site' }] },
    ]);
  });

  it('keeps HTML as text and refuses script links', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ t: 'text', text: '<img src=x onerror=alert(1)>' }]);
    expect(parseInline('[x](javascript:alert(1))')[0]).toEqual({ t: 'text', text: '[x](javascript:alert(1)' });
    expect(safeHref('data:text/html,hi')).toBeNull();
    expect(safeHref('http://host/x')).toBe('http://host/x');
  });
});
