/**
 * Slot `id` found by a search of its own, for tests: the patcher scans every marker once
 * (scanOpenMarkers) and must reach the same verdict, detail and region as this.
 */
import { checkSlotAt, slotOpenText, type SlotCheck } from '../../runtime/slot-format.js';
import type { SiteRecord } from '../../runtime/site-format.js';

export function locateSlot(source: string, id: number, site: Pick<SiteRecord, 'read' | 'export'>): SlotCheck {
  const open = `/*${slotOpenText(id)}*/`;
  const at = source.indexOf(open);
  if (at < 0) return { kind: 'missing', detail: `no ${open} in the module (a minifier may have removed it)` };
  if (source.indexOf(open, at + open.length) >= 0) return { kind: 'ambiguous', detail: `${open} occurs more than once` };
  return checkSlotAt(source, at, open, id, site.read, site.export);
}
