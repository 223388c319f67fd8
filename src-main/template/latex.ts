// LaTeX tags → image references (rslib/src/latex.rs). Generating the images is someone else's
// job; this only computes the HTML and the file names (`latex-<sha1>.png|svg`).

import { createHash } from 'node:crypto';

import { encodeAttribute, stripHtml } from '../text/html';
import { expandClozesToRevealLatex } from './cloze';

const LATEX_RE = /\[latex\]([^]+?)\[\/latex\]|\[\$\]([^]+?)\[\/\$\]|\[\$\$\]([^]+?)\[\/\$\$\]/giu;
// Anki's pattern is `<br( /)?>|<div>` in verbose mode, where the space is ignored: so `<br />`
// is NOT turned into a newline, only `<br>` and `<br/>`.
const LATEX_NEWLINES = /<br\/?>|<div>/giu;

export interface ExtractedLatex {
  /** Media file name, e.g. `latex-ef30b3f4141c33a5bf7044b0d1961d3399c05d50.png`. */
  fname: string;
  /** The LaTeX source as given to the LaTeX toolchain (without header/footer). */
  latex: string;
}

export function containsLatex(text: string): boolean {
  LATEX_RE.lastIndex = 0;
  const found = LATEX_RE.test(text);
  LATEX_RE.lastIndex = 0;
  return found;
}

function stripHtmlForLatex(html: string): string {
  return stripHtml(html.replace(LATEX_NEWLINES, '\n'));
}

export function latexFilename(latex: string, svg: boolean): string {
  const csum = createHash('sha1').update(latex, 'utf8').digest('hex');
  return `latex-${csum}.${svg ? 'svg' : 'png'}`;
}

/**
 * Replace `[latex]…[/latex]`, `[$]…[/$]` and `[$$]…[/$$]` with
 * `<img class=latex alt="…" src="latex-<sha1>.png|svg">` and list what must be generated.
 * Expects cloze deletions to be already expanded.
 */
export function extractLatex(text: string, svg: boolean): { html: string; latex: ExtractedLatex[] } {
  const latex: ExtractedLatex[] = [];
  const html = text.replace(LATEX_RE, (_m, std?: string, inline?: string, display?: string) => {
    const raw =
      std !== undefined ? std : inline !== undefined ? `$${inline}$` : `\\begin{displaymath}${display}\\end{displaymath}`;
    const body = stripHtmlForLatex(raw);
    const fname = latexFilename(body, svg);
    latex.push({ fname, latex: body });
    return `<img class=latex alt="${encodeAttribute(body)}" src="${fname}">`;
  });
  return { html, latex };
}

/** Expand clozes first (all question/answer variants) if the text has any, then extract. */
export function extractLatexExpandingClozes(text: string, svg: boolean): { html: string; latex: ExtractedLatex[] } {
  if (text.includes('{{c')) return extractLatex(expandClozesToRevealLatex(text, containsLatex), svg);
  return extractLatex(text, svg);
}
