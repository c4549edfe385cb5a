import type { ReportCategory } from '@shared/categories';

/**
 * One colour per report category, distinct from each other on the wall's dark navy and bright
 * enough to tell apart from 5 m; shared by every chart so a category keeps its colour across scenes.
 */
export const CATEGORY_COLORS: Record<ReportCategory, string> = {
  traffic: '#4e9cff',
  environment: '#3ecf6a',
  urban_order: '#ffb020',
  security: '#ff5a5a',
  noise: '#c77dff',
  fire_safety: '#ff7a1a',
  food_safety: '#2fd3c8',
  infrastructure: '#f17ac0',
  other: '#a9b6c6',
};
