import {
  type AssociationMeasure,
  type AssociationOptions,
  association,
  type Columns,
  kindsOf,
} from './associations.js';
import { isMissing } from './labels.js';

/** Categories of attributes protected by anti-discrimination law (e.g. US Title VII, EU Art. 21 Charter). */
export type ProtectedCategory =
  | 'sex_gender'
  | 'race_ethnicity'
  | 'age'
  | 'religion'
  | 'disability'
  | 'marital_status'
  | 'nationality'
  | 'pregnancy'
  | 'sexual_orientation'
  | 'veteran_status'
  | 'genetic_information';

// Name tokens (after splitting snake_case, camelCase, kebab-case and digits) that signal a category.
const NAME_TOKENS: Record<ProtectedCategory, string[]> = {
  sex_gender: ['sex', 'gender', 'male', 'female', 'woman', 'women', 'man', 'men'],
  race_ethnicity: ['race', 'racial', 'ethnicity', 'ethnic', 'ancestry', 'skin', 'caste'],
  age: ['age', 'dob', 'birth', 'birthdate', 'birthday', 'born', 'yob'],
  religion: ['religion', 'religious', 'faith', 'creed', 'belief'],
  disability: ['disability', 'disabled', 'handicap', 'handicapped', 'impairment'],
  marital_status: ['marital', 'married', 'spouse', 'widowed', 'divorced', 'relationship'],
  nationality: ['nationality', 'national', 'citizenship', 'citizen', 'immigrant', 'immigration', 'native'],
  pregnancy: ['pregnant', 'pregnancy', 'maternity'],
  sexual_orientation: ['orientation', 'sexuality', 'lgbt', 'lgbtq'],
  veteran_status: ['veteran', 'military'],
  genetic_information: ['genetic', 'genome', 'dna'],
};

// Values that give a column away even under an opaque name ('col_7' holding 'female'/'male').
const VALUE_TOKENS: Partial<Record<ProtectedCategory, string[]>> = {
  sex_gender: ['male', 'female', 'man', 'woman', 'non-binary', 'nonbinary'],
  race_ethnicity: [
    'white',
    'black',
    'asian',
    'hispanic',
    'latino',
    'latina',
    'caucasian',
    'african-american',
  ],
  marital_status: ['married', 'single', 'divorced', 'widowed', 'never-married', 'separated'],
  religion: ['christian', 'muslim', 'jewish', 'hindu', 'buddhist', 'atheist', 'catholic', 'protestant'],
};

export interface ProtectedMatch {
  column: string;
  category: ProtectedCategory;
  reason: 'name' | 'values';
  /** The name token or values that matched. */
  evidence: string;
}

export interface ProxyMatch {
  column: string;
  protectedColumn: string;
  measure: AssociationMeasure;
  association: number;
}

export interface ProtectedAttributeReport {
  protected: ProtectedMatch[];
  /** Other columns strongly associated with a protected one (possible proxies, e.g. zip code for race). */
  proxies: ProxyMatch[];
  /** Association of each protected column with the label (differences in base rates). */
  labelAssociation: ProxyMatch[];
}

export interface ProtectedAttributeOptions extends AssociationOptions {
  /** Label column name (excluded from the candidates, used for labelAssociation). */
  label?: string;
  /** Association at or above which a column is reported as a proxy (default 0.5). */
  proxyThreshold?: number;
  /** Columns the caller already knows are protected (category given or 'declared'). */
  declared?: Record<string, ProtectedCategory>;
}

/** Splits a column name into lower-case word tokens ('applicantGender_2' -> ['applicant', 'gender']). */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((t) => t.length > 0);
}

/**
 * Finds likely protected attributes by column name and by values, then the columns associated with
 * them (possible proxies) and their association with the label. A heuristic screen for review,
 * not a legal determination: names can mislead both ways.
 */
export function detectProtectedAttributes(
  columns: Columns,
  options: ProtectedAttributeOptions = {},
): ProtectedAttributeReport {
  const found: ProtectedMatch[] = [];
  for (const [column, category] of Object.entries(options.declared ?? {})) {
    found.push({ column, category, reason: 'name', evidence: 'declared' });
  }
  for (const [column, values] of Object.entries(columns)) {
    if (column === options.label || found.some((f) => f.column === column)) continue;
    const match = matchByName(column) ?? matchByValues(values);
    if (match) found.push({ column, ...match });
  }
  const kinds = kindsOf(columns, options.categorical);
  const threshold = options.proxyThreshold ?? 0.5;
  const proxies: ProxyMatch[] = [];
  const labelAssociation: ProxyMatch[] = [];
  const protectedNames = new Set(found.map((f) => f.column));
  for (const p of found) {
    const pv = columns[p.column];
    if (!pv) continue;
    for (const [column, values] of Object.entries(columns)) {
      if (column === p.column || (protectedNames.has(column) && column !== options.label)) continue;
      const a = association(values, pv, [kinds[column]!, kinds[p.column]!], options);
      const entry = { column, protectedColumn: p.column, measure: a.measure, association: a.value };
      if (column === options.label) labelAssociation.push(entry);
      else if (a.value >= threshold) proxies.push(entry);
    }
  }
  proxies.sort((a, b) => b.association - a.association);
  return { protected: found, proxies, labelAssociation };
}

function matchByName(
  column: string,
): { category: ProtectedCategory; reason: 'name'; evidence: string } | undefined {
  const tokens = nameTokens(column);
  for (const [category, words] of Object.entries(NAME_TOKENS) as [ProtectedCategory, string[]][]) {
    const hit = tokens.find((t) => words.includes(t));
    if (hit) return { category, reason: 'name', evidence: hit };
  }
  return undefined;
}

function matchByValues(
  values: readonly unknown[],
): { category: ProtectedCategory; reason: 'values'; evidence: string } | undefined {
  const distinct = new Set<string>();
  for (const v of values) {
    if (typeof v === 'string' && !isMissing(v)) distinct.add(v.trim().toLowerCase());
    if (distinct.size > 50) return undefined;
  }
  if (distinct.size < 2) return undefined;
  for (const [category, words] of Object.entries(VALUE_TOKENS) as [ProtectedCategory, string[]][]) {
    const hits = [...distinct].filter((v) => words.includes(v));
    // At least two known values, covering most distinct values, so 'single' alone is not enough.
    if (hits.length >= 2 && hits.length >= distinct.size / 2)
      return { category, reason: 'values', evidence: hits.join(', ') };
  }
  return undefined;
}
