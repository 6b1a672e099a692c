import { invalidArgument } from '../../errors/index.js';

/**
 * Reads an MLflow request: query string for GET, JSON body otherwise. Unknown fields are ignored, numbers
 * may arrive as strings (query strings) and ids as numbers (old clients), as MLflow's ParseDict allows.
 */
export class MlflowInput {
  constructor(private readonly fields: Record<string, unknown>) {}

  static from(value: unknown): MlflowInput {
    if (value === undefined || value === null) return new MlflowInput({});
    if (typeof value !== 'object' || Array.isArray(value))
      throw invalidArgument('request body must be a JSON object');
    return new MlflowInput(value as Record<string, unknown>);
  }

  has(name: string): boolean {
    return this.fields[name] !== undefined && this.fields[name] !== null;
  }

  /** A required string field; numbers are stringified (experiment_id: 0), lists are refused. */
  string(name: string, ...aliases: string[]): string {
    const value = this.optionalString(name, ...aliases);
    if (value === undefined || value === '') throw missing(name);
    return value;
  }

  optionalString(name: string, ...aliases: string[]): string | undefined {
    for (const key of [name, ...aliases]) {
      const value = this.fields[key];
      if (value === undefined || value === null) continue;
      return stringOf(key, value);
    }
    return undefined;
  }

  /** An optional integer (int64 fields arrive as numbers in JSON, as strings in query strings). */
  optionalInt(name: string): number | undefined {
    const raw = this.fields[name];
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw invalidArgument(
        `Invalid value ${JSON.stringify(raw)} for parameter '${name}' supplied: expected an integer`,
      );
    }
    return value;
  }

  int(name: string): number {
    const value = this.optionalInt(name);
    if (value === undefined) throw missing(name);
    return value;
  }

  /** A number field; MLflow rejects booleans and accepts "NaN"/"Infinity" spelled as strings. */
  number(name: string): number {
    const raw = this.fields[name];
    if (raw === undefined || raw === null) throw missing(name);
    return toNumber(name, raw);
  }

  optionalBoolean(name: string): boolean | undefined {
    const raw = this.fields[name];
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw invalidArgument(
      `Invalid value ${JSON.stringify(raw)} for parameter '${name}' supplied: expected a boolean`,
    );
  }

  /** A repeated string field (a single value is wrapped into a list). */
  stringList(name: string): string[] {
    const raw = this.fields[name];
    if (raw === undefined || raw === null) return [];
    const list = Array.isArray(raw) ? raw : [raw];
    return list.map((value) => stringOf(name, value));
  }

  /** A repeated message field: each element is read with its own MlflowInput. */
  list(name: string): MlflowInput[] {
    const raw = this.fields[name];
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw))
      throw invalidArgument(`Invalid value for parameter '${name}' supplied: expected a list`);
    return raw.map((item) => MlflowInput.from(item));
  }

  /** A nested message field. */
  message(name: string): MlflowInput {
    if (!this.has(name)) throw missing(name);
    return MlflowInput.from(this.fields[name]);
  }

  /** `[{key, value}]` entries, as MLflow sends tags and params. */
  keyValues(name: string): { key: string; value: string }[] {
    return this.list(name).map((entry) => ({
      key: entry.string('key'),
      value: entry.optionalString('value') ?? '',
    }));
  }
}

function missing(name: string) {
  return invalidArgument(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );
}

function stringOf(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalidArgument(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected a string`,
  );
}

function toNumber(name: string, raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const special: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };
    if (raw in special) return special[raw]!;
    if (raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  }
  throw invalidArgument(
    `Invalid value ${JSON.stringify(raw)} for parameter '${name}' supplied: expected a number`,
  );
}
