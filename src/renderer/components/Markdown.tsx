/** A model's markdown description, as React elements (see lib/markdown: no user text reaches innerHTML). */
import { Fragment, type ReactNode } from 'react';
import { parseMarkdown, type Inline } from '../lib/markdown';

function inline(nodes: Inline[]): ReactNode {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return <Fragment key={i}>{n.text}</Fragment>;
      case 'code':
        return <code key={i}>{n.text}</code>;
      case 'strong':
        return <strong key={i}>{inline(n.children)}</strong>;
      case 'em':
        return <em key={i}>{inline(n.children)}</em>;
      case 'link':
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer">
            {inline(n.children)}
          </a>
        );
    }
  });
}

export function Markdown({ source, testId }: { source: string; testId?: string }) {
  const blocks = parseMarkdown(source);
  return (
    <div className="markdown" data-testid={testId}>
      {blocks.map((b, i) => {
        switch (b.t) {
          case 'heading': {
            const H = (['h2', 'h3', 'h4', 'h5'] as const)[b.level - 1];
            return <H key={i}>{inline(b.children)}</H>;
          }
          case 'paragraph':
            return <p key={i}>{inline(b.children)}</p>;
          case 'code':
            return <pre key={i}>{b.text}</pre>;
          case 'list': {
            const L = b.ordered ? 'ol' : 'ul';
            return (
              <L key={i}>
                {b.items.map((item, j) => (
                  <li key={j}>{inline(item)}</li>
                ))}
              </L>
            );
          }
        }
      })}
    </div>
  );
}
