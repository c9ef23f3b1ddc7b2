import type { DocumentError } from './types.ts';

/**
 * The only error a translator throws: the input cannot be read as the format at all (not X12, not XML,
 * not cXML), or a canonical document given to a renderer is invalid. Problems inside a readable
 * document are returned as DocumentError values, never thrown.
 */
export class TranslationError extends Error {
  readonly code: string;
  readonly errors: DocumentError[];

  constructor(code: string, message: string, errors: DocumentError[] = []) {
    super(message);
    this.name = 'TranslationError';
    this.code = code;
    this.errors = errors;
  }
}
