import type { Lang } from '@shared/labels';
import { wardByCode } from '@shared/wards';

/** A ward's full name in the page's language: "Phường Phú Xuân", "Ward Phu Xuan" in English; an unknown code as it is. */
export function wardFullName(code: string, lang: Lang): string {
  const w = wardByCode(code);
  if (!w) return code;
  if (lang === 'vi') return w.nameFull;
  return `${w.type === 'phuong' ? 'Ward' : 'Commune'} ${w.nameAscii}`;
}
