/**
 * The diff stage: layered word diff of extracted statement texts, the report
 * model, its byte-exact rebuild, renderers, and the tokenizer.
 */
export { diffText, DEFAULT_OPTIONS, type DiffOptions } from './engine.js';
export { rebuild } from './rebuild.js';
export { render, FORMATS, autoColor, escapeHtml, escapeMarkdown, type Format, type RenderOptions } from './render/index.js';
export { tokenize, countWords, type Token, type TokenKind } from './tokenize.js';
export { splitParagraphs, type Layout } from './paragraphs.js';
export type * from './types.js';
