/** Short constructors for the acknowledgement specs written element by element: `el('AK101', 'M', 'ID', 2, 2)`. */
import type { ElementSpec, ElementType, Requirement, SegmentSpec, SyntaxRule } from './types.ts';

export function el(ref: string, req: Requirement, type: ElementType, min: number, max: number, more: Partial<ElementSpec> = {}): ElementSpec {
  return { ref, req, type, min, max, ...more };
}

export function composite(ref: string, req: Requirement, components: readonly ElementSpec[], more: Partial<ElementSpec> = {}): ElementSpec {
  return { ref, req, type: 'AN', min: 1, max: 999, components, ...more };
}

export function seg(id: string, req: 'M' | 'O', max: number, elements: readonly ElementSpec[], syntax?: readonly SyntaxRule[]): SegmentSpec {
  return { kind: 'segment', id, req, max, elements, ...(syntax ? { syntax } : {}) };
}

/** optional ID elements prefix+from .. prefix+to, as AK5/AK9 end with (AK502..AK506) */
export function errorCodeElements(prefix: string, from: number, to: number): ElementSpec[] {
  return Array.from({ length: to - from + 1 }, (_, i) => el(`${prefix}${String(from + i).padStart(2, '0')}`, 'O', 'ID', 1, 3));
}
