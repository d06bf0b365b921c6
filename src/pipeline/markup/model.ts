/** The document model: what a letter consists of, independent of how it is typeset. */
export type TableRowKind = 'header' | 'body' | 'total';

export interface SignatureLine {
  text: string;
  /** The seal is anchored over this line (the date, by convention). */
  seal: boolean;
}

export type Block =
  | { type: 'letterhead'; name: string; lines: string[] }
  | { type: 'title'; text: string }
  | { type: 'number'; text: string }
  | { type: 'addressee'; text: string }
  /** The addressee block read through an envelope window (issue 29): placed by layout/window.ts. */
  | { type: 'window'; from: string; postcode: string; address: string; name: string }
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'item'; marker: string; text: string }
  | { type: 'table'; caption: string; rows: { kind: TableRowKind; cells: string[] }[] }
  | { type: 'signature'; lines: SignatureLine[] }
  | { type: 'attachments'; title: string; items: string[] }
  | { type: 'pagebreak' };

export interface LetterDocument {
  blocks: Block[];
}
